package db

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// TestWithConnTx: inside WithConnTx, a pgx COPY through RawConn and a
// statement through Conn are one transaction (each sees the other's rows;
// a rollback drops both), and chunks go with their import file.
func TestWithConnTx(t *testing.T) {
	d := openPG(t)
	ctx := context.Background()
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	count := func(ctx context.Context, table string) int64 {
		t.Helper()
		var n int64
		if err := d.Conn(ctx).Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	errUndo := errors.New("undo")
	for _, commit := range []bool{false, true} {
		err := d.WithConnTx(ctx, func(ctx context.Context) error {
			imp, file := uuid.New(), uuid.New()
			if err := d.Conn(ctx).Exec("INSERT INTO imports (id, status) VALUES (?, 'pending')", imp).Error; err != nil {
				return err
			}
			ok, err := RawConn(ctx, func(dc any) error {
				_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"import_files"}, []string{"id", "import_id"},
					pgx.CopyFromRows([][]any{{file, imp}}))
				return err
			})
			if !ok || err != nil {
				t.Fatalf("RawConn: %v %v", ok, err)
			}
			if n := count(ctx, "import_files"); n != 1 {
				t.Fatalf("the COPYed row is not in the transaction: %d", n)
			}
			if !commit {
				return errUndo
			}
			return nil
		})
		if !commit && !errors.Is(err, errUndo) || commit && err != nil {
			t.Fatal(err)
		}
		want := map[bool]int64{false: 0, true: 1}[commit]
		if n := count(ctx, "imports") + count(ctx, "import_files"); n != 2*want {
			t.Fatalf("commit=%v: %d rows", commit, n)
		}
	}
	if ok, _ := RawConn(ctx, func(any) error { return nil }); ok {
		t.Error("RawConn outside WithConnTx")
	}
	if err := d.Conn(ctx).Exec("INSERT INTO ibutsu_import_chunks (file_id, seq, data) SELECT id, 0, 'x' FROM import_files").Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Conn(ctx).Exec("DELETE FROM imports").Error; err != nil {
		t.Fatal(err)
	}
	if n := count(ctx, "ibutsu_import_chunks"); n != 0 {
		t.Errorf("chunks outlived their import: %d", n)
	}
}
