package artifact

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// fixture is two projects, a member of the first, and in each a run with a
// result; each result and run carries one artifact.
type fixture struct {
	testdb.Tenants
	myRun, theirRun       uuid.UUID
	myResult, theirResult uuid.UUID
	myResArt, theirResArt *model.Artifact
	myRunArt, theirRunArt *model.Artifact
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{Tenants: testdb.NewTenants(t, d), myRun: uuid.New(), theirRun: uuid.New(), myResult: uuid.New(), theirResult: uuid.New()}
	now := time.Now().UTC().Truncate(time.Second)
	art := func(result, run *uuid.UUID, name string, at time.Time) *model.Artifact {
		return &model.Artifact{ID: uuid.New(), ResultID: result, RunID: run, Filename: model.Ptr(name), Data: model.JSON{}, Content: []byte(name), UploadDate: at}
	}
	f.myResArt, f.myRunArt = art(&f.myResult, nil, "my-result.txt", now), art(nil, &f.myRun, "my-run.txt", now.Add(time.Second))
	f.theirResArt, f.theirRunArt = art(&f.theirResult, nil, "their-result.txt", now), art(nil, &f.theirRun, "their-run.txt", now)
	rows := []any{&model.Run{ID: f.myRun, ProjectID: &f.Mine, StartTime: now, Created: now}, &model.Run{ID: f.theirRun, ProjectID: &f.Theirs, StartTime: now, Created: now},
		&model.Result{ID: f.myResult, ProjectID: &f.Mine, RunID: &f.myRun, StartTime: now},
		&model.Result{ID: f.theirResult, ProjectID: &f.Theirs, RunID: &f.theirRun, StartTime: now},
		f.myResArt, f.myRunArt, f.theirResArt, f.theirRunArt}
	testdb.Insert(t, d, rows...)
	return f
}

func exists(t *testing.T, d *db.DB, id uuid.UUID) bool {
	t.Helper()
	var n int64
	if err := d.Conn(context.Background()).Model(&model.Artifact{}).Where("id = ?", id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func TestStoreList(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		s := store{db: d}
		all := ListRequest{Page: 1, PageSize: 10}
		myResult := f.myResult.String()
		for _, c := range []struct {
			name string
			q    listQuery
			want []*model.Artifact
		}{
			{"member", listQuery{req: all, projects: []uuid.UUID{f.Mine}}, []*model.Artifact{f.myResArt, f.myRunArt}},
			{"no projects", listQuery{req: all}, nil},
			{"everything", listQuery{req: all, all: true}, []*model.Artifact{f.myResArt, f.theirResArt, f.theirRunArt, f.myRunArt}},
			{"of a result", listQuery{req: ListRequest{Page: 1, PageSize: 10, ResultID: &myResult}, all: true}, []*model.Artifact{f.myResArt}},
		} {
			arts, total, err := s.list(ctx, c.q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if total != int64(len(c.want)) || len(arts) != len(c.want) {
				t.Errorf("%s: %d artifacts, total %d; want %d", c.name, len(arts), total, len(c.want))
				continue
			}
			got := map[uuid.UUID]bool{}
			for _, a := range arts {
				got[a.ID] = true
				if a.Content != nil {
					t.Errorf("%s: list loaded the bytes of %s", c.name, a.ID)
				}
			}
			for _, w := range c.want {
				if !got[w.ID] {
					t.Errorf("%s: %s missing", c.name, *w.Filename)
				}
			}
		}
	})
}

func TestStoreGetTargetCreateDelete(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		s := store{db: d}
		if a, err := s.get(ctx, f.myResArt.ID, false); err != nil || a.Content != nil {
			t.Errorf("get without content: %v, content %q", err, a.Content)
		}
		if a, err := s.get(ctx, f.myResArt.ID, true); err != nil || string(a.Content) != "my-result.txt" {
			t.Errorf("get with content: %v", err)
		}
		if _, err := s.get(ctx, uuid.New(), false); !errors.Is(err, errNotFound) {
			t.Errorf("get unknown: %v", err)
		}
		for _, c := range []struct {
			result, run *uuid.UUID
			want        *uuid.UUID
			found       bool
		}{{&f.theirResult, nil, &f.Theirs, true}, {nil, &f.myRun, &f.Mine, true}, {nil, nil, nil, false}, {model.Ptr(uuid.New()), nil, nil, false}} {
			p, found, err := s.targetProject(ctx, c.result, c.run)
			if err != nil || found != c.found || (c.want != nil && (p == nil || *p != *c.want)) {
				t.Errorf("targetProject(%v, %v) = %v, %v, %v", c.result, c.run, p, found, err)
			}
		}
		a := &model.Artifact{ID: uuid.New(), RunID: &f.myRun, Filename: model.Ptr("new"), Data: model.JSON{}, Content: []byte("x"), UploadDate: time.Now().UTC()}
		if err := s.create(ctx, a); err != nil || !exists(t, d, a.ID) {
			t.Fatalf("create: %v", err)
		}
		if err := s.delete(ctx, a.ID); err != nil || exists(t, d, a.ID) {
			t.Errorf("delete: %v", err)
		}
	})
}

// TestForeignIDsChangeNothing: deleting another project's artifact and
// attaching one to another project's result or run are 403s; the rows stay.
func TestForeignIDsChangeNothing(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := NewService(d, project.NewStore(d), 5<<20, nil)
		for _, a := range []*model.Artifact{f.theirResArt, f.theirRunArt} {
			if err := svc.Delete(ctx, f.Member, a.ID); apperr.KindOf(err) != apperr.KindForbidden {
				t.Errorf("Delete foreign %s: %v, want forbidden", *a.Filename, err)
			}
			if !exists(t, d, a.ID) {
				t.Errorf("foreign %s was deleted", *a.Filename)
			}
			if _, err := svc.Load(ctx, f.Member, a.ID, true); err == nil {
				t.Errorf("Load foreign %s succeeded", *a.Filename)
			}
		}
		theirResult, theirRun := f.theirResult.String(), f.theirRun.String()
		for _, req := range []UploadRequest{{ResultID: &theirResult}, {RunID: &theirRun}} {
			req.HasFile, req.File, req.Filename = true, []byte("x"), model.Ptr("evil.txt")
			if _, err := svc.Validate(ctx, f.Member, req); err == nil {
				t.Errorf("Validate of an upload to a foreign target succeeded")
			} else if apperr.KindOf(err) != apperr.KindForbidden {
				t.Errorf("Validate foreign target: %v, want forbidden", err)
			}
		}
		var n int64
		if err := d.Conn(ctx).Model(&model.Artifact{}).Where("filename = ?", "evil.txt").Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%d artifacts named evil.txt stored (%v)", n, err)
		}
		if err := svc.Delete(ctx, f.Member, f.myRunArt.ID); err != nil || exists(t, d, f.myRunArt.ID) {
			t.Errorf("Delete own: %v", err)
		}
	})
}
