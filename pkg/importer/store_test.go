package importer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// newImport is a pending import row with data.
func newImport(data model.JSON, created time.Time) *model.Import {
	status, name := StatusPending, "report.xml"
	return &model.Import{ID: uuid.New(), Filename: &name, Status: &status, Data: data, Created: created}
}

// TestStoreChunksRoundTrip: a file over one chunk is stored in chunks,
// read back whole in order, measured and dropped by clearBytes, after
// which it is gone; discard removes the import row too.
func TestStoreChunksRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := store{db: d}
		file := bytes.Repeat([]byte("0123456789abcdef"), chunkSize/16+1000) // one chunk and a bit
		imp := newImport(model.JSON{}, time.Now().UTC())
		if err := st.create(ctx, imp, bytes.NewReader(file)); err != nil {
			t.Fatal(err)
		}
		c, found, err := st.findContent(ctx, imp.ID)
		if err != nil || !found || c.chunks != 2 {
			t.Fatalf("findContent = %+v, %v, %v; want 2 chunks", c, found, err)
		}
		s, err := c.open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(s)
		if err != nil || !bytes.Equal(got, file) {
			t.Fatalf("read back %d bytes (%v), want the %d stored", len(got), err, len(file))
		}
		n, err := st.clearBytes(ctx, imp.ID)
		if err != nil || n != int64(len(file)) {
			t.Fatalf("clearBytes = %d, %v; want %d", n, err, len(file))
		}
		if _, found, err := st.findContent(ctx, imp.ID); err != nil || found {
			t.Fatalf("bytes still found after clearing (%v)", err)
		}
		if err := st.discard(ctx, imp.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.load(ctx, imp.ID); !errors.Is(err, errNoImport) {
			t.Fatalf("load after discard: %v, want errNoImport", err)
		}
	})
}

// TestStoreSetStatusMergesData: the status changes and the extra keys join
// the data without dropping the old ones.
func TestStoreSetStatusMergesData(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := store{db: d}
		imp := newImport(model.JSON{"source": "ci"}, time.Now().UTC())
		if err := st.create(ctx, imp, bytes.NewReader(nil)); err != nil {
			t.Fatal(err)
		}
		if err := st.setStatus(ctx, imp.ID, StatusError, map[string]any{"error": "bad file"}); err != nil {
			t.Fatal(err)
		}
		got, err := st.load(ctx, imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if deref(got.Status) != StatusError || got.Data["source"] != "ci" || got.Data["error"] != "bad file" {
			t.Fatalf("import after setStatus: %s %v", deref(got.Status), got.Data)
		}
	})
}

// TestStoreSettlesOnlyUnfinishedImports: unfinishedBefore lists the old
// pending and running imports only, and failIfUnfinished leaves an import
// that finished meanwhile alone.
func TestStoreSettlesOnlyUnfinishedImports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := store{db: d}
		old := time.Now().UTC().Add(-10 * time.Hour)
		pending, running, done, young := newImport(nil, old), newImport(nil, old), newImport(nil, old), newImport(nil, time.Now().UTC())
		*running.Status, *done.Status = StatusRunning, StatusDone
		for _, imp := range []*model.Import{pending, running, done, young} {
			if err := st.create(ctx, imp, bytes.NewReader(nil)); err != nil {
				t.Fatal(err)
			}
		}
		ids, err := st.unfinishedBefore(ctx, time.Now().UTC().Add(-time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 2 || !slices.Contains(ids, pending.ID) || !slices.Contains(ids, running.ID) {
			t.Fatalf("unfinishedBefore = %v, want the old pending and running imports", ids)
		}
		if ok, err := st.failIfUnfinished(ctx, done.ID, model.JSON{"error": "stuck"}); err != nil || ok {
			t.Fatalf("failIfUnfinished on a done import = %v, %v", ok, err)
		}
		if got, _ := st.load(ctx, done.ID); deref(got.Status) != StatusDone || got.Data["error"] != nil {
			t.Fatalf("done import changed: %s %v", deref(got.Status), got.Data)
		}
		if ok, err := st.failIfUnfinished(ctx, pending.ID, model.JSON{"error": "stuck"}); err != nil || !ok {
			t.Fatalf("failIfUnfinished on a pending import = %v, %v", ok, err)
		}
		if got, _ := st.load(ctx, pending.ID); deref(got.Status) != StatusError || got.Data["error"] != "stuck" {
			t.Fatalf("pending import not settled: %s %v", deref(got.Status), got.Data)
		}
	})
}

// TestStoreListKeepsToVisibleImports: the scope of a member of project
// mine shows imports into mine and the project-less imports the member
// uploaded, never another project's or another uploader's.
func TestStoreListKeepsToVisibleImports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := store{db: d}
		me, someone := uuid.New(), uuid.New()
		mine, theirs := uuid.New(), uuid.New()
		now := time.Now().UTC()
		intoMine := newImport(model.JSON{"project_id": mine.String(), uploaderKey: someone.String()}, now)
		intoTheirs := newImport(model.JSON{"project_id": theirs.String(), uploaderKey: me.String()}, now)
		myOwn := newImport(model.JSON{uploaderKey: me.String()}, now)
		othersOwn := newImport(model.JSON{uploaderKey: someone.String()}, now)
		for _, imp := range []*model.Import{intoMine, intoTheirs, myOwn, othersOwn} {
			if err := st.create(ctx, imp, bytes.NewReader(nil)); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			name     string
			projects []uuid.UUID
			want     []uuid.UUID
		}{
			{"member of mine", []uuid.UUID{mine}, []uuid.UUID{intoMine.ID, myOwn.ID}},
			{"member of none", nil, []uuid.UUID{myOwn.ID}},
		} {
			scope, err := st.visibleTo(tc.projects, me)
			if err != nil {
				t.Fatal(err)
			}
			rows, total, err := st.list(ctx, "", nil, scope, paging.Page{Page: 1, PageSize: 25})
			if err != nil {
				t.Fatal(err)
			}
			var got []uuid.UUID
			for _, r := range rows {
				got = append(got, r.ID)
			}
			slices.SortFunc(got, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
			slices.SortFunc(tc.want, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
			if total != int64(len(tc.want)) || !slices.Equal(got, tc.want) {
				t.Errorf("%s: listed %v (total %d), want %v", tc.name, got, total, tc.want)
			}
		}
	})
}
