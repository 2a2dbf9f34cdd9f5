package artifact

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

func newObjects(t *testing.T, d *db.DB, threshold int64) *Objects {
	cfg := testenv.S3Config(t)
	cfg.Threshold = threshold
	s, err := objstore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return NewObjects(d, s, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestMigrateArtifacts: artifacts at or above the threshold move to the
// store in batches and read back unchanged; smaller ones stay; a second run
// moves nothing (resumable); --to-database brings every one back and
// leaves no object behind.
func TestMigrateArtifacts(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		o := newObjects(t, d, 10)
		svc := NewService(d, nil, 5<<20, o)
		if err := d.Gorm.Exec("DELETE FROM artifacts").Error; err != nil { // the fixture's
			t.Fatal(err)
		}
		want := map[uuid.UUID]string{}
		for i := range 7 {
			body := strings.Repeat("x", i*3) // 0..18 bytes: 0, 3, 6, 9 stay
			a := &model.Artifact{ID: uuid.New(), RunID: &f.myRun, Filename: model.Ptr("f"), Data: model.JSON{}, Content: []byte(body), UploadDate: time.Now().UTC()}
			testdb.Insert(t, d, a)
			want[a.ID] = body
		}
		var batches int
		p, err := o.Migrate(ctx, false, 2, func(MigrateProgress) { batches++ })
		if err != nil || p.Moved != 3 || p.Bytes != 12+15+18 || batches != 2 {
			t.Fatalf("migrate: %+v %v (%d batches)", p, err, batches)
		}
		check := func(inStore int) {
			t.Helper()
			n := 0
			for id, body := range want {
				row, err := svc.Object(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				got := ""
				if row != nil {
					n++
					r, err := svc.OpenObject(ctx, row, 0)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(r)
					_ = r.Close()
					got = string(b)
					if db, _ := o.store.content(ctx, id); db != nil {
						t.Errorf("%s: bytes left in the database", id)
					}
				} else {
					b, _ := o.store.content(ctx, id)
					got = string(b)
				}
				if got != body {
					t.Errorf("%s: %q, want %q", id, got, body)
				}
			}
			if n != inStore {
				t.Errorf("%d in the store, want %d", n, inStore)
			}
		}
		check(3)
		if p, err := o.Migrate(ctx, false, 2, nil); err != nil || p.Moved != 0 {
			t.Fatalf("second run: %+v %v", p, err)
		}
		if p, err := o.Migrate(ctx, true, 2, nil); err != nil || p.Moved != 3 {
			t.Fatalf("to database: %+v %v", p, err)
		}
		check(0)
		if rep, err := o.Run(ctx); err != nil || rep.Deleted+rep.Orphans+rep.Young+rep.Missing != 0 {
			t.Fatalf("objects after the way back: %+v %v", rep, err)
		}
		var left int
		_ = o.s.List(ctx, "", func(objstore.Object) error { left++; return nil })
		if left != 0 {
			t.Fatalf("%d objects left in the bucket", left)
		}
	})
}

// TestReconcileObjects: an object without a row is removed once past the
// grace period (kept before it); a row whose object is gone is reported.
func TestReconcileObjects(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		o := newObjects(t, d, 0)
		svc := NewService(d, nil, 5<<20, o)
		a := &model.Artifact{ID: uuid.New(), RunID: &f.myRun, Filename: model.Ptr("f"), Data: model.JSON{}, Content: []byte("kept"), UploadDate: time.Now().UTC()}
		b := &model.Artifact{ID: uuid.New(), RunID: &f.myRun, Filename: model.Ptr("g"), Data: model.JSON{}, Content: []byte("lost"), UploadDate: time.Now().UTC()}
		for _, x := range []*model.Artifact{a, b} {
			if err := svc.Create(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		stray := o.s.Prefix() + "stray"
		if _, err := o.s.Put(ctx, stray, bytes.NewReader([]byte("s")), 1); err != nil {
			t.Fatal(err)
		}
		if err := o.s.Delete(ctx, o.key(b.ID)); err != nil {
			t.Fatal(err)
		}
		rep, err := o.Run(ctx)
		if err != nil || rep.Young != 1 || rep.Orphans != 0 || rep.Missing != 1 || rep.MissingIDs[0] != b.ID.String() {
			t.Fatalf("within the grace period: %+v %v", rep, err)
		}
		o.graceAge = 0
		rep, err = o.Run(ctx)
		if err != nil || rep.Orphans != 1 || rep.Missing != 1 {
			t.Fatalf("past the grace period: %+v %v", rep, err)
		}
		if _, err := o.s.Stat(ctx, stray); err == nil {
			t.Fatal("the stray object is still there")
		}
		if _, err := o.s.Stat(ctx, o.key(a.ID)); err != nil {
			t.Fatalf("a live artifact's object was removed: %v", err)
		}
	})
}
