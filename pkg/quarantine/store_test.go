package quarantine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// fixture: project mine (owner, member) and theirs (their owner, with one
// entry); outsider is in neither.
type fixture struct {
	d                              *db.DB
	svc                            *Service
	owner, member, outsider, admin *model.User
	theirOwner                     *model.User
	mine, theirs                   uuid.UUID
	theirEntry                     *Entry
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, mine: uuid.New(), theirs: uuid.New()}
	user := func(email string) *model.User {
		return &model.User{ID: uuid.New(), Email: email, IsActive: true}
	}
	f.owner, f.member, f.outsider, f.theirOwner = user("owner@example.com"), user("member@example.com"), user("outsider@example.com"), user("their@example.com")
	f.admin = user("admin@example.com")
	f.admin.IsSuperadmin = true
	testdb.Insert(t, d, f.owner, f.member, f.outsider, f.theirOwner, f.admin,
		&model.Project{ID: f.mine, Name: model.Ptr("mine"), OwnerID: &f.owner.ID},
		&model.Project{ID: f.theirs, Name: model.Ptr("theirs"), OwnerID: &f.theirOwner.ID},
		&model.UserProject{UserID: f.owner.ID, ProjectID: f.mine}, &model.UserProject{UserID: f.member.ID, ProjectID: f.mine},
		&model.UserProject{UserID: f.theirOwner.ID, ProjectID: f.theirs})
	f.svc = NewService(d, project.NewStore(d))
	e, err := f.svc.Create(context.Background(), f.theirOwner, f.theirs, CreateRequest{Pattern: model.Ptr("tests.theirs.*"), Reason: model.Ptr("theirs")})
	if err != nil {
		t.Fatal(err)
	}
	f.theirEntry = e
	return f
}

// entries is every stored entry of project p, by pattern.
func (f *fixture) entries(t *testing.T, p uuid.UUID) []Entry {
	t.Helper()
	return testdb.Rows[Entry](t, f.d, "pattern", "project_id = ?", p)
}

func TestEntryLifecycle(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		e, err := f.svc.Create(ctx, f.owner, f.mine, CreateRequest{Pattern: model.Ptr("tests.api.test_a"), Reason: model.Ptr(" flaky on CI ")})
		if err != nil {
			t.Fatal(err)
		}
		if e.Owner == nil || *e.Owner != "owner@example.com" || e.Reason != "flaky on CI" || e.IsGlob || e.Expires != nil {
			t.Fatalf("created %+v", e)
		}
		exp := time.Now().UTC().Add(48 * time.Hour).Format(time.RFC3339)
		g, err := f.svc.Create(ctx, f.admin, f.mine, CreateRequest{Pattern: model.Ptr("tests.ui.*"), Reason: model.Ptr("UI rewrite"),
			Owner: model.Nullable[string]{Set: true, Value: model.Ptr("team-ui")}, Expires: model.Nullable[string]{Set: true, Value: &exp}})
		if err != nil {
			t.Fatal(err)
		}
		if !g.IsGlob || g.Expires == nil || *g.Owner != "team-ui" {
			t.Fatalf("created %+v", g)
		}
		// Duplicates and bad input are 400s naming the field; nothing stored.
		for _, req := range []CreateRequest{
			{Pattern: model.Ptr("tests.api.test_a"), Reason: model.Ptr("again")},
			{Pattern: model.Ptr("x"), Reason: model.Ptr("  ")},
			{Reason: model.Ptr("no pattern")},
			{Pattern: model.Ptr("x"), Reason: model.Ptr("r"), Expires: model.Nullable[string]{Set: true, Value: model.Ptr("yesterday")}},
			{Pattern: model.Ptr("x"), Reason: model.Ptr("r"), Expires: model.Nullable[string]{Set: true, Value: model.Ptr("2020-01-01")}},
			{Pattern: model.Ptr("x"), Reason: model.Ptr("r"), Owner: model.Nullable[string]{Set: true, Value: model.Ptr(strings.Repeat("o", 300))}},
		} {
			if _, err := f.svc.Create(ctx, f.owner, f.mine, req); apperr.KindOf(err) != apperr.KindInvalid {
				t.Errorf("%+v: got %v", req, err)
			}
		}
		if n := len(f.entries(t, f.mine)); n != 2 {
			t.Fatalf("%d entries after refused creates", n)
		}
		// Members read, only the owner and superadmins write.
		rows, total, err := f.svc.List(ctx, f.member, f.mine, 0, 10)
		if err != nil || total != 2 || len(rows) != 2 || rows[0].Pattern != "tests.api.test_a" {
			t.Fatalf("member list: %v %d %v", rows, total, err)
		}
		if _, err := f.svc.Create(ctx, f.member, f.mine, CreateRequest{Pattern: model.Ptr("y"), Reason: model.Ptr("r")}); apperr.KindOf(err) != apperr.KindForbidden {
			t.Errorf("member create: %v", err)
		}
		if _, _, err := f.svc.List(ctx, f.outsider, f.mine, 0, 10); apperr.KindOf(err) != apperr.KindUnauthorized {
			t.Errorf("outsider list: %v", err)
		}
		if _, _, err := f.svc.List(ctx, f.owner, uuid.New(), 0, 10); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("unknown project: %v", err)
		}
		// Update: partial; null clears owner and expiry.
		u, err := f.svc.Update(ctx, f.owner, f.mine, g.ID, UpdateRequest{Reason: model.Ptr("UI rewrite, phase 2"),
			Owner: model.Nullable[string]{Set: true}, Expires: model.Nullable[string]{Set: true}})
		if err != nil || u.Reason != "UI rewrite, phase 2" || u.Owner != nil || u.Expires != nil || u.Pattern != "tests.ui.*" {
			t.Fatalf("update: %+v %v", u, err)
		}
		if _, err := f.svc.Update(ctx, f.owner, f.mine, g.ID, UpdateRequest{Pattern: model.Ptr("tests.api.test_a")}); apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("update to a taken pattern: %v", err)
		}
		if err := f.svc.Delete(ctx, f.owner, f.mine, e.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Delete(ctx, f.owner, f.mine, e.ID); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("second delete: %v", err)
		}
		if got := f.entries(t, f.mine); len(got) != 1 || got[0].ID != g.ID {
			t.Fatalf("after delete: %+v", got)
		}
	})
}

// TestForeignIDs: every write path with a foreign project or a foreign
// entry id; the foreign rows are compared afterwards.
func TestForeignIDs(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		before := f.entries(t, f.theirs)
		req := CreateRequest{Pattern: model.Ptr("tests.mine"), Reason: model.Ptr("r")}
		for _, u := range []*model.User{f.owner, f.member, f.outsider} {
			if _, err := f.svc.Create(ctx, u, f.theirs, req); apperr.KindOf(err) != apperr.KindForbidden {
				t.Errorf("%s create in theirs: %v", u.Email, err)
			}
			if _, err := f.svc.Update(ctx, u, f.theirs, f.theirEntry.ID, UpdateRequest{Reason: model.Ptr("mine now")}); apperr.KindOf(err) != apperr.KindForbidden {
				t.Errorf("%s update theirs: %v", u.Email, err)
			}
			if err := f.svc.Delete(ctx, u, f.theirs, f.theirEntry.ID); apperr.KindOf(err) != apperr.KindForbidden {
				t.Errorf("%s delete theirs: %v", u.Email, err)
			}
		}
		// Their entry's id through my project, where I may write: not found.
		if _, err := f.svc.Update(ctx, f.owner, f.mine, f.theirEntry.ID, UpdateRequest{Reason: model.Ptr("mine now")}); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("update through mine: %v", err)
		}
		if err := f.svc.Delete(ctx, f.owner, f.mine, f.theirEntry.ID); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("delete through mine: %v", err)
		}
		after := f.entries(t, f.theirs)
		if len(after) != len(before) || after[0].Reason != before[0].Reason || after[0].ProjectID != f.theirs || !after[0].Updated.Equal(before[0].Updated) {
			t.Fatalf("their entries changed: %+v -> %+v", before, after)
		}
		if n := len(f.entries(t, f.mine)); n != 0 {
			t.Fatalf("%d entries appeared in mine", n)
		}
	})
}

func TestMarksAndCounts(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		run, theirRun := uuid.New(), uuid.New()
		testdb.Insert(t, d, &model.Run{ID: run, ProjectID: &f.mine, StartTime: t0, Created: t0},
			&model.Run{ID: theirRun, ProjectID: &f.theirs, StartTime: t0, Created: t0})
		res := func(runID uuid.UUID, p uuid.UUID, testID, outcome string) model.Result {
			r := model.Result{ID: uuid.New(), RunID: &runID, ProjectID: &p, TestID: &testID, Result: &outcome, StartTime: t0}
			testdb.Insert(t, d, &r)
			return r
		}
		rs := []model.Result{
			res(run, f.mine, "tests.api.test_a", "failed"),           // exact: marked
			res(run, f.mine, "tests.api.test_a", "passed"),           // passes are never marked
			res(run, f.mine, "tests.ui.test_login[chrome]", "error"), // glob: marked
			res(run, f.mine, "tests.uix.test_b", "failed"),           // glob needs the dot
			res(run, f.mine, "tests.old.test_c", "failed"),           // expired entry
			res(run, f.mine, "tests.theirs.test_d", "failed"),        // their pattern: not in mine
			res(theirRun, f.theirs, "tests.theirs.test_d", "failed"), // their own: marked
			res(run, f.mine, "tests_api_test_a", "failed"),           // _ is no wildcard
		}
		for _, p := range []string{"tests.api.test_a", "tests.ui.*", "tests.old.*"} {
			if _, err := f.svc.Create(ctx, f.owner, f.mine, CreateRequest{Pattern: model.Ptr(p), Reason: model.Ptr("r")}); err != nil {
				t.Fatal(err)
			}
		}
		// Expire tests.old.* by moving the clock.
		if err := d.Conn(ctx).Model(&Entry{}).Where("pattern = ?", "tests.old.*").Update("expires", time.Now().UTC().Add(time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		f.svc.now = func() time.Time { return time.Now().UTC().Add(2 * time.Hour) }
		marks, err := f.svc.MarkResults(ctx, rs)
		if err != nil {
			t.Fatal(err)
		}
		want := []bool{true, false, true, false, false, false, true, false}
		for i, r := range rs {
			if marks[r.ID] != want[i] {
				t.Errorf("%s %s: marked %v", *r.TestID, *r.Result, marks[r.ID])
			}
		}
		counts, err := f.svc.RunCounts(ctx, []model.Run{{ID: run, ProjectID: &f.mine}, {ID: theirRun, ProjectID: &f.theirs}})
		if err != nil {
			t.Fatal(err)
		}
		if counts[run] != 2 || counts[theirRun] != 1 {
			t.Errorf("counts %v", counts)
		}
		// Removing the glob changes the count at once (computed at read time).
		var g Entry
		d.Conn(ctx).Where("pattern = ?", "tests.ui.*").Take(&g)
		if err := f.svc.Delete(ctx, f.owner, f.mine, g.ID); err != nil {
			t.Fatal(err)
		}
		counts, _ = f.svc.RunCounts(ctx, []model.Run{{ID: run, ProjectID: &f.mine}})
		if counts[run] != 1 {
			t.Errorf("after delete: %v", counts)
		}
	})
}

func TestText(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		run := uuid.New()
		testdb.Insert(t, d, &model.Run{ID: run, ProjectID: &f.mine, StartTime: t0, Created: t0})
		for i, r := range []struct{ id, data string }{
			{"TestOrders.test_create[1.5]", `{"fspath": "tests/test_orders.py"}`},
			{"test_login", `{"node_id": "old/test_login.py::test_login"}`},
			{"test_login", `{"node_id": "tests/test_login.py::test_login", "fspath": "tests/test_login.py"}`},
		} {
			var data model.JSON
			if err := data.Scan([]byte(r.data)); err != nil {
				t.Fatal(err)
			}
			testdb.Insert(t, d, &model.Result{ID: uuid.New(), RunID: &run, ProjectID: &f.mine, TestID: model.Ptr(r.id),
				Result: model.Ptr("failed"), StartTime: t0.Add(time.Duration(i) * time.Minute), Data: data})
		}
		for _, p := range []string{"TestOrders.test_create[1.5]", "test_login", "test_never_ran", "tests.slow.*"} {
			if _, err := f.svc.Create(ctx, f.owner, f.mine, CreateRequest{Pattern: model.Ptr(p), Reason: model.Ptr("why\nnot")}); err != nil {
				t.Fatal(err)
			}
		}
		txt, err := f.svc.Text(ctx, f.member, f.mine)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, l := range strings.Split(txt, "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				ids = append(ids, l)
			}
		}
		if strings.Join(ids, ",") != "tests/test_orders.py::TestOrders::test_create[1.5],tests/test_login.py::test_login" {
			t.Errorf("node ids %v in\n%s", ids, txt)
		}
		for _, s := range []string{"# test_never_ran — why not", "# no node id known", "# tests.slow.* — why not", "# glob: not expanded", "4 active entries"} {
			if !strings.Contains(txt, s) {
				t.Errorf("missing %q in\n%s", s, txt)
			}
		}
		if _, err := f.svc.Text(ctx, f.outsider, f.mine); apperr.KindOf(err) != apperr.KindUnauthorized {
			t.Errorf("outsider: %v", err)
		}
	})
}

// distinctProjects keeps each project once, in first-given order, and
// passes over the rows without one.
func TestDistinctProjects(t *testing.T) {
	a, b := uuid.New(), uuid.New()
	rows := []*uuid.UUID{nil, &b, &a, nil, &b, &a}
	got := distinctProjects(len(rows), func(i int) *uuid.UUID { return rows[i] })
	if len(got) != 2 || got[0] != b || got[1] != a {
		t.Errorf("distinctProjects = %v, want [%s %s]", got, b, a)
	}
	if got := distinctProjects(0, nil); got != nil {
		t.Errorf("no rows: %v", got)
	}
}
