package widget

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// storeFixture is a database with two projects, mine (member is a member)
// and theirs, and a store answering for member.
type storeFixture struct {
	db           *db.DB
	q            store
	member       *model.User
	mine, theirs uuid.UUID
}

func newStoreFixture(t *testing.T, d *db.DB) *storeFixture {
	t.Helper()
	f := &storeFixture{db: d, mine: uuid.New(), theirs: uuid.New(),
		member: &model.User{ID: uuid.New(), Email: "member@example.com", IsActive: true}}
	f.create(t, f.member,
		&model.Project{ID: f.mine, Name: model.Ptr("mine")},
		&model.Project{ID: f.theirs, Name: model.Ptr("theirs")},
		&model.UserProject{UserID: f.member.ID, ProjectID: f.mine})
	f.q = NewService(d, nil, DefaultLimits()).store
	f.q.user = f.member
	return f
}

func (f *storeFixture) create(t *testing.T, rows ...any) {
	t.Helper()
	for _, r := range rows {
		if err := f.db.Conn(context.Background()).Create(r).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// jenkinsRun is a run of job in project p with a build number and summary.
func (f *storeFixture) jenkinsRun(t *testing.T, p uuid.UUID, job, build string, start time.Time, tests int) *model.Run {
	t.Helper()
	r := &model.Run{ID: uuid.New(), ProjectID: &p, StartTime: start, Created: start, Component: model.Ptr("ui"),
		Data:    model.JSON{"jenkins": map[string]any{"job_name": job, "build_number": build}, "component": "ui"},
		Summary: model.JSON{"tests": tests, "failures": 1}}
	f.create(t, r)
	return r
}

// TestStoreResultGroupsKeepsToMemberProjects: without a project argument
// the counts cover only the caller's projects; naming the other project's
// id in a filter string does not widen that (the service refuses such a
// filter before; the scope holds even without it).
func TestStoreResultGroupsKeepsToMemberProjects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newStoreFixture(t, d)
		now := time.Now().UTC()
		for _, p := range []uuid.UUID{f.mine, f.mine, f.theirs} {
			f.create(t, &model.Result{ID: uuid.New(), ProjectID: &p, Result: model.Ptr("passed"), StartTime: now})
		}
		for _, fs := range [][]string{{"result@y"}, {"result@y", "project_id=" + f.theirs.String()}} {
			got, err := f.q.resultGroups(context.Background(), "result", fs, args{}, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			want := 2
			if len(fs) == 2 {
				want = 0
			}
			total := int64(0)
			for _, g := range got {
				total += g.n
			}
			if total != int64(want) {
				t.Errorf("filters %v: counted %d results (%+v), want %d of the member's project", fs, total, got, want)
			}
		}
	})
}

// TestStoreRecentBuildsSkipsNonNumericBuilds: the builds are the newest
// first, only all-digit build numbers count, and another project's runs of
// the same job are out of scope.
func TestStoreRecentBuildsSkipsNonNumericBuilds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newStoreFixture(t, d)
		now := time.Now().UTC().Truncate(time.Second)
		f.jenkinsRun(t, f.mine, "job", "7", now.Add(-3*time.Hour), 10)
		f.jenkinsRun(t, f.mine, "job", "8", now.Add(-2*time.Hour), 10)
		f.jenkinsRun(t, f.mine, "job", "abc", now.Add(-time.Hour), 10)
		f.jenkinsRun(t, f.theirs, "job", "9", now, 10)
		builds, earliest, err := f.q.recentBuilds(context.Background(), []string{"metadata.jenkins.job_name=job"}, args{}, 5)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(builds, []string{"8", "7"}) {
			t.Fatalf("builds = %v, want [8 7]", builds)
		}
		if at, ok := asTime(earliest); !ok || !at.Equal(now.Add(-3*time.Hour)) {
			t.Fatalf("earliest = %v, want build 7's start", earliest)
		}
	})
}

// TestStoreRunStatsReadsSummaries: runStats returns each run's group,
// build and summary numbers in the order asked, within the limit.
func TestStoreRunStatsReadsSummaries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newStoreFixture(t, d)
		now := time.Now().UTC()
		f.jenkinsRun(t, f.mine, "job", "1", now.Add(-time.Hour), 4)
		newer := f.jenkinsRun(t, f.mine, "job", "2", now, 6)
		stats, err := f.q.runStats(context.Background(), "component", "metadata.jenkins.build_number", nil, args{}, "start_time DESC, id", 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(stats) != 1 || stats[0].id != newer.ID.String() || stats[0].group != "ui" || stats[0].build != "2" ||
			stats[0].tests != 6 || stats[0].failures != 1 {
			t.Fatalf("runStats = %+v, want the newer run (%s) only", stats, newer.ID)
		}
		if stats, err := f.q.runStats(context.Background(), "component", "", nil, args{}, "start_time", -1); err != nil || stats != nil {
			t.Fatalf("runStats with a negative limit = %+v, %v; want nothing", stats, err)
		}
	})
}

// TestStoreProjectExists: an existing project is found, a random id not.
func TestStoreProjectExists(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newStoreFixture(t, d)
		for id, want := range map[uuid.UUID]bool{f.theirs: true, uuid.New(): false} {
			if got, err := f.q.projectExists(context.Background(), id); err != nil || got != want {
				t.Errorf("projectExists(%s) = %v, %v; want %v", id, got, err, want)
			}
		}
	})
}
