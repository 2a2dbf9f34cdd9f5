package db

import "github.com/google/uuid"

// textArg is a look-up's argument as the driver sends it anyway: a uuid as
// its text. pgx prefers the binary format for a uuid parameter, but
// uuid.UUID reaches it as a driver.Valuer whose value is a string, which
// has no binary encoding for uuid: every such argument was encoded twice,
// the first time failing with an error built by fmt.Errorf, and Value
// called each time (about ten allocations an argument). A string goes
// straight out in the text format, the same bytes PostgreSQL received
// before. SQLite's driver stored Value's string too. A slice for `IN ?`
// becomes a slice of strings (GORM expands either into one parameter an
// element); a nil *uuid.UUID stays as it is (NULL).
func textArg(a any) any {
	switch v := a.(type) {
	case uuid.UUID:
		return v.String()
	case *uuid.UUID:
		if v != nil {
			return v.String()
		}
	case []uuid.UUID:
		out := make([]string, len(v))
		for i, id := range v {
			out[i] = id.String()
		}
		return out
	}
	return a
}
