package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Maximum lengths, in bytes, of text in indexed columns: the schema's
// limits (model.Max*Bytes, which explains them), under the names the API
// code uses.
const (
	MaxTestIDBytes    = model.MaxTestIDBytes
	MaxNameBytes      = model.MaxNameBytes
	MaxLabelBytes     = model.MaxLabelBytes
	MaxSourceBytes    = model.MaxSourceBytes
	MaxFilenameBytes  = model.MaxFilenameBytes
	MaxIndexedMDBytes = model.MaxIndexedMDBytes
)

// FieldLimits maps a body field (dotted for metadata keys) to its maximum
// length in bytes. It applies to every JSON body and multipart form field
// the server reads, whatever the endpoint: a field of that name is stored in
// an indexed column wherever it appears. A non-string value is measured by
// its JSON encoding, which is what `data ->> 'key'` indexes.
var FieldLimits = map[string]int{
	"test_id":   MaxTestIDBytes,
	"name":      MaxNameBytes,
	"title":     MaxNameBytes,
	"email":     MaxNameBytes,
	"type":      MaxNameBytes,
	"widget":    MaxNameBytes,
	"component": MaxLabelBytes,
	"env":       MaxLabelBytes,
	"source":    MaxSourceBytes,
	"filename":  MaxFilenameBytes,

	"metadata.component":                 MaxLabelBytes,
	"metadata.env":                       MaxLabelBytes,
	"metadata.assignee":                  MaxIndexedMDBytes,
	"metadata.classification":            MaxIndexedMDBytes,
	"metadata.exception_name":            MaxIndexedMDBytes,
	"metadata.SatelliteVersion":          MaxIndexedMDBytes,
	"metadata.SnapVersion":               MaxIndexedMDBytes,
	"metadata.jenkins.job_name":          MaxIndexedMDBytes,
	"metadata.jenkins.build_number":      MaxIndexedMDBytes,
	"metadata.user_properties.env":       MaxLabelBytes,
	"metadata.user_properties.component": MaxLabelBytes,
}

// checkBody applies CheckJSON (NUL characters, numbers beyond float64),
// the duration bound and FieldLimits to a decoded body: the first offence
// is a 400 naming the field.
func checkBody(body map[string]any) error {
	if err := model.CheckJSON("", body); err != nil {
		return valueProblem(err)
	}
	if err := checkDuration(body); err != nil {
		return err
	}
	for path, maxLen := range FieldLimits {
		if v, ok := lookup(body, path); ok && valueLen(v) > maxLen {
			return tooLong(path, maxLen)
		}
	}
	return nil
}

// checkDuration refuses a top-level duration (of a result or a run) beyond
// model.MaxDurationSeconds: sums of such durations leave float64's range.
// A value of another type is left to the route's schema.
func checkDuration(body map[string]any) error {
	n, ok := body["duration"].(json.Number)
	if !ok {
		return nil
	}
	if f, err := n.Float64(); err == nil && math.Abs(f) > model.MaxDurationSeconds {
		return apperr.Problem(http.StatusBadRequest, "duration: %s is beyond the maximum of %g seconds (either sign)", n, model.MaxDurationSeconds)
	}
	return nil
}

// CheckFormField checks one multipart text field (or an uploaded file's
// name, as field "filename"): no NUL byte, and within FieldLimits.
func CheckFormField(name, value string) error {
	if strings.ContainsRune(value, 0) {
		return apperr.Problem(http.StatusBadRequest, "%s: contains a NUL character, which cannot be stored", name)
	}
	if maxLen, ok := FieldLimits[name]; ok && len(value) > maxLen {
		return tooLong(name, maxLen)
	}
	return nil
}

// ReadFormField reads the value of a non-file part of a multipart upload
// (an artifact's or an import's form): at most maxBytes, else a 413 built
// with answer (the route's error style, apperr.Problem or apperr.New), then
// CheckFormField. A failure to read is given to readFailed, the route's
// mapping of body errors. It exists so both upload routes read their
// fields under the same caps and checks.
func ReadFormField(part io.Reader, name string, maxBytes int, answer func(int, string, ...any) *apperr.Error,
	readFailed func(error) error) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, int64(maxBytes)+1))
	if err != nil {
		return "", readFailed(err)
	}
	if len(b) > maxBytes {
		return "", answer(http.StatusRequestEntityTooLarge, "Form field %s is too large", name)
	}
	if err := CheckFormField(name, string(b)); err != nil {
		return "", err
	}
	return string(b), nil
}

// DecodeJSONField parses a form field holding a JSON document (an
// artifact's additionalMetadata, an import's metadata) with the checks JSON
// bodies get; text that is not one JSON document is answered with invalid.
// Numbers come back as float64, as json.Unmarshal gives them.
func DecodeJSONField(name, raw string, invalid *apperr.Error) (any, error) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, invalid
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalid
	}
	if err := model.CheckJSON(name, v); err != nil {
		return nil, valueProblem(err)
	}
	if m, ok := v.(map[string]any); ok {
		for path, maxLen := range FieldLimits {
			if x, ok := lookup(m, path); ok && valueLen(x) > maxLen {
				return nil, tooLong(name+"."+path, maxLen)
			}
		}
	}
	return floatNumbers(v), nil
}

// RejectNULQuery answers 400 for a query parameter (name or value) holding
// a NUL byte, before any handler turns it into SQL PostgreSQL would refuse.
func RejectNULQuery() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !strings.Contains(c.Request.URL.RawQuery, "%00") && !strings.ContainsRune(c.Request.URL.RawQuery, 0) {
			c.Next()
			return
		}
		for k, vs := range c.Request.URL.Query() {
			for _, v := range vs {
				if strings.ContainsRune(k, 0) || strings.ContainsRune(v, 0) {
					Problem(c, http.StatusBadRequest, "Query parameter '"+strings.ReplaceAll(k, "\x00", `\u0000`)+"' contains a NUL character")
					c.Abort()
					return
				}
			}
		}
		c.Next()
	}
}

func valueProblem(err error) error {
	var ve *model.JSONValueError
	if errors.As(err, &ve) {
		return apperr.Problem(http.StatusBadRequest, "%s: %s", ve.Path, ve.Problem)
	}
	return err
}

func tooLong(field string, maxLen int) error {
	return apperr.Problem(http.StatusBadRequest, "%s is longer than the maximum of %d bytes", field, maxLen)
}

// lookup finds a dotted path in nested objects.
func lookup(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// valueLen is a string's length, or a non-string's JSON length.
func valueLen(v any) int {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return len(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return len(b)
}

func floatNumbers(v any) any {
	return model.MapNumbers(v, func(n json.Number) any {
		f, _ := n.Float64()
		return f
	})
}
