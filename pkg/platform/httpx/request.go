package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// ReadJSONObject reads a JSON object body. Numbers stay json.Number so large
// integers in metadata survive exactly. It answers upstream's errors:
// a non-JSON content type → 400 "Bad Request JSON required"; a body over
// maxBytes → 413; malformed JSON, a non-object, invalid UTF-8, NUL
// characters (which PostgreSQL cannot store), numbers beyond float64 (which
// no reader could decode again) or a field over its FieldLimits length →
// 400 problem naming the field. An empty body is an empty object.
func ReadJSONObject(c *gin.Context, maxBytes int64) (map[string]any, error) {
	if !IsJSON(c.GetHeader("Content-Type")) {
		return nil, apperr.BadRequest("Bad Request JSON required")
	}
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, apperr.Problem(http.StatusRequestEntityTooLarge, "Request body is larger than %d bytes", maxBytes)
	}
	if err != nil {
		return nil, apperr.Problem(http.StatusBadRequest, "Could not read the request body")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	return DecodeJSONObject(raw)
}

// DecodeJSONObject parses raw as one JSON object with the checks of
// ReadJSONObject.
func DecodeJSONObject(raw []byte) (map[string]any, error) {
	if !utf8.Valid(raw) {
		return nil, apperr.Problem(http.StatusBadRequest, "Request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, apperr.Problem(http.StatusBadRequest, "Request body is not valid JSON: %s", jsonErrorText(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, apperr.Problem(http.StatusBadRequest, "Request body is not valid JSON: unexpected data after the top-level value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, apperr.Problem(http.StatusBadRequest, "%s is not of type 'object'", PyRepr(v))
	}
	if err := checkBody(obj); err != nil {
		return nil, err
	}
	return obj, nil
}

func jsonErrorText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	return err.Error()
}

// IsJSON reports whether a Content-Type header names JSON.
func IsJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// PathUUID reads a UUID path parameter; anything else is upstream's 400
// "ID: <value> is not a valid UUID".
func PathUUID(c *gin.Context, name string) (uuid.UUID, error) {
	raw := c.Param(name)
	id, err := uuid.Parse(raw)
	if err != nil || len(raw) != 36 {
		return uuid.Nil, apperr.BadRequest("ID: %s is not a valid UUID", raw)
	}
	return id, nil
}

// ParseUUID parses a canonical hyphenated UUID string (model.ParseUUID).
func ParseUUID(s string) (uuid.UUID, bool) { return model.ParseUUID(s) }

// Page holds the pagination query parameters (paging.Page, which services
// and stores use without importing this package).
type Page = paging.Page

// maxOffset keeps offsets far from overflow; larger pages are refused.
const maxOffset = 1 << 53

// ParsePage reads page (default 1) and pageSize (default def, minimum 1) the
// way upstream validates them: the last occurrence wins, non-integers and
// pageSize < 1 are 400 problems, a page too big to compute is a 400.
func ParsePage(c *gin.Context, def int) (Page, error) {
	p := Page{Page: 1, PageSize: def}
	var err error
	if p.Page, err = intQuery(c, "page", 1); err != nil {
		return p, err
	}
	if p.PageSize, err = intQuery(c, "pageSize", def); err != nil {
		return p, err
	}
	if p.PageSize < 1 {
		return p, apperr.Problem(http.StatusBadRequest, "%d is less than the minimum of 1 - 'pageSize'", p.PageSize)
	}
	if p.Page > 1 && int64(p.Page-1) > maxOffset/int64(p.PageSize) {
		return p, apperr.BadRequest("The page number is too big.")
	}
	return p, nil
}

// LastQuery returns the last occurrence of a query parameter.
func LastQuery(c *gin.Context, name string) (string, bool) {
	vals, ok := c.GetQueryArray(name)
	if !ok || len(vals) == 0 {
		return "", false
	}
	return vals[len(vals)-1], true
}

func intQuery(c *gin.Context, name string, def int) (int, error) {
	s, ok := LastQuery(c, name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, apperr.Problem(http.StatusBadRequest, "'%s' is not of type 'integer' - '%s'", s, name)
	}
	return n, nil
}

// BoolQuery reads a boolean query parameter: only true/false (any case).
func BoolQuery(c *gin.Context, name string) (bool, error) {
	s, ok := LastQuery(c, name)
	if !ok {
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, apperr.Problem(http.StatusBadRequest, "'%s' is not of type 'boolean' - '%s'", s, name)
}

// Pagination is the list envelope's pagination object (paging.Pagination,
// which services and stores build without importing this package).
type Pagination = paging.Pagination

// NewPagination computes totalPages = ceil(total/pageSize).
func NewPagination(p Page, total int64) Pagination { return paging.NewPagination(p, total) }
