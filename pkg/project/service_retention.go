package project

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// retentionFields maps the JSON keys to the struct fields.
func (r *Retention) fields() map[string]**int {
	return map[string]**int{"import_days": &r.ImportDays, "artifact_days": &r.ArtifactDays,
		"result_days": &r.ResultDays, "run_days": &r.RunDays}
}

// ParseRetention reads a `retention` body value (the schema makes it an
// object or null) on top of cur: an object's known keys are non-negative
// integers or null (a missing key keeps cur's value); null clears every
// override. A bad day count is a 400.
func ParseRetention(v model.Nullable[map[string]any], cur Retention) (Retention, error) {
	if v.Value == nil {
		return Retention{}, nil
	}
	m := *v.Value
	out := cur
	for key, dst := range out.fields() {
		raw, present := m[key]
		if !present {
			continue
		}
		if raw == nil {
			*dst = nil
			continue
		}
		n, ok := days(raw)
		if !ok {
			return cur, errRetentionDays(key)
		}
		*dst = &n
	}
	return out, nil
}

// days accepts a JSON integer in 0..MaxInt32 (json.Number from the body
// decoder, or float64).
func days(v any) (int, bool) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			return 0, false
		}
		f = float64(i)
	case float64:
		f = n
	default:
		return 0, false
	}
	if f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}
