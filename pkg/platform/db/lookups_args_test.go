package db

import (
	"context"
	"testing"

	"github.com/google/uuid"
)

// TestLookupsSendUUIDsAsText pins textArg: LookupsSQL hands the driver a
// uuid, a non-nil *uuid.UUID and a []uuid.UUID as text (pgx encoded a
// uuid.UUID twice, the first time failing), a nil *uuid.UUID still as
// NULL, and the look-ups read the same rows with them on both dialects.
func TestLookupsSendUUIDsAsText(t *testing.T) {
	id, other := uuid.New(), uuid.New()
	var none *uuid.UUID
	_, args := LookupsSQL([]Lookup{{SQL: "x", Args: []any{id, &id, none, []uuid.UUID{id, other}, "s", 3}}})
	for i, a := range args {
		switch v := a.(type) {
		case uuid.UUID, []uuid.UUID:
			t.Errorf("argument %d is %T, want its text", i, a)
		case *uuid.UUID:
			if v != nil {
				t.Errorf("argument %d is a non-nil *uuid.UUID, want its text", i)
			}
		}
	}
	if args[0] != id.String() || args[1] != id.String() || args[4] != "s" || args[5] != 3 {
		t.Errorf("arguments %v", args)
	}
	if ids, ok := args[3].([]string); !ok || len(ids) != 2 || ids[0] != id.String() || ids[1] != other.String() {
		t.Errorf("slice argument %#v", args[3])
	}

	for name, d := range map[string]*DB{"postgres": openPG(t), "sqlite": openTestSQLite(t)} {
		t.Run(name, func(t *testing.T) {
			// k is the uuid argument read back; the row is there only when
			// the *uuid.UUID is NULL and the uuid is in the slice.
			sql := `SELECT CAST(? AS uuid) AS k, NULL AS a, NULL AS b, NULL AS c, 0 AS n
				WHERE CAST(? AS uuid) = CAST(? AS uuid) AND CAST(? AS uuid) IS NULL AND CAST(? AS uuid) IN ?`
			if d.Dialect == SQLite {
				sql = `SELECT ? AS k, NULL AS a, NULL AS b, NULL AS c, 0 AS n
					WHERE ? = ? AND ? IS NULL AND ? IN ?`
			}
			var got []LookupRow
			l := Lookup{SQL: sql, Args: []any{id, &id, id, none, other, []uuid.UUID{id, other}}, Read: func(rows []LookupRow) { got = rows }}
			if err := d.Lookups(context.Background(), l); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].K != id {
				t.Fatalf("rows %+v, want one with k %s", got, id)
			}
		})
	}
}
