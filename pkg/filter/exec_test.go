package filter

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/google/uuid"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// The execution tests create upstream's column types by hand (the project's
// migrations are not this package's concern), insert rows of package
// model's types through GORM, and check which rows each filter selects, on
// both databases with the same expectations.

var (
	projectA = uuid.MustParse("0bb1b7a4-5f7e-4b5c-9c1f-6c1e0b1e2c3d")
	projectB = uuid.MustParse("f0000000-0000-4000-8000-000000000002")
)

var pgSchema = []string{
	`CREATE TABLE results (id uuid PRIMARY KEY, project_id uuid, run_id uuid, test_id text, result text,
		data jsonb, params jsonb, duration double precision, start_time timestamp NOT NULL, source text,
		env text, component text)`,
	`CREATE TABLE runs (id uuid PRIMARY KEY, project_id uuid, component text, created timestamp NOT NULL,
		data jsonb, duration double precision, env text, source text, start_time timestamp NOT NULL, summary jsonb)`,
	`CREATE TABLE widget_configs (id uuid PRIMARY KEY, navigable boolean, params jsonb, project_id uuid,
		dashboard_id uuid, title text, type text, weight integer, widget text)`,
	`CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL, _password text, name text, activation_code text,
		is_superadmin boolean NOT NULL DEFAULT false, is_active boolean NOT NULL DEFAULT false, group_id uuid)`,
}

// sqliteSchema uses the declared types an ORM-style SQLite schema has
// (DATETIME and BOOLEAN have NUMERIC affinity, which must not matter).
var sqliteSchema = []string{
	`CREATE TABLE results (id TEXT PRIMARY KEY, project_id TEXT, run_id TEXT, test_id TEXT, result TEXT,
		data JSON, params JSON, duration REAL, start_time DATETIME NOT NULL, source TEXT, env TEXT, component TEXT)`,
	`CREATE TABLE runs (id TEXT PRIMARY KEY, project_id TEXT, component TEXT, created DATETIME NOT NULL,
		data JSON, duration REAL, env TEXT, source TEXT, start_time DATETIME NOT NULL, summary JSON)`,
	`CREATE TABLE widget_configs (id TEXT PRIMARY KEY, navigable BOOLEAN, params JSON, project_id TEXT,
		dashboard_id TEXT, title TEXT, type TEXT, weight INTEGER, widget TEXT)`,
	`CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL, _password TEXT, name TEXT, activation_code TEXT,
		is_superadmin BOOLEAN NOT NULL DEFAULT 0, is_active BOOLEAN NOT NULL DEFAULT 0, group_id TEXT)`,
}

type testDB struct {
	name    string
	dialect Dialect
	gorm    *gorm.DB
}

func openSQLite(t testing.TB) testDB {
	t.Helper()
	if err := RegisterSQLite(); err != nil {
		t.Fatal(err)
	}
	return open(t, testDB{name: "sqlite", dialect: SQLite}, sqlite.Open(filepath.Join(t.TempDir(), "filter.db")), sqliteSchema)
}

func openPostgres(t testing.TB) testDB {
	t.Helper()
	return open(t, testDB{name: "postgres", dialect: Postgres}, postgres.Open(testenv.NewPostgresDatabase(t)), pgSchema)
}

// open connects d through conn, closes the connection when the test ends
// and gives the database its schema and rows (setup).
func open(t testing.TB, d testDB, conn gorm.Dialector, schema []string) testDB {
	t.Helper()
	g, err := gorm.Open(conn, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := g.DB(); err == nil {
			_ = s.Close()
		}
	})
	d.gorm = g
	return setup(t, d, schema)
}

func ptr[T any](v T) *T { return &v }

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05.999999", s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func setup(t testing.TB, d testDB, schema []string) testDB {
	t.Helper()
	for _, s := range schema {
		if err := d.gorm.Exec(s).Error; err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
	}
	results := []model.Result{
		{ID: uuid.New(), ProjectID: &projectA, TestID: ptr("test_login"), Result: ptr("passed"), Env: ptr("prod"),
			Component: ptr("ui"), Duration: ptr(1.0), StartTime: at("2024-01-01 10:00:00"),
			Data: model.JSON{"project": "p1", "env": "prod", "build": "145", "num": 5, "flag": true,
				"jenkins":        map[string]any{"build_number": "9", "job_name": "nightly"},
				"tags":           []any{"smoke", "ui"},
				"exception_name": "AssertionError"}},
		{ID: uuid.New(), ProjectID: &projectA, TestID: ptr("test_logout"), Result: ptr("failed"), Env: ptr("qa"),
			Duration: ptr(2.5), StartTime: at("2024-01-02 10:00:00.5"),
			Data: model.JSON{"env": "qa", "build": "146",
				"jenkins":        map[string]any{"build_number": "10", "job_name": "nightly"},
				"tags":           []any{"regression", 5},
				"markers":        []any{"slow"},
				"exception_name": "TimeoutError"}},
		{ID: uuid.New(), ProjectID: &projectB, TestID: ptr("Test_Search_%"), Result: ptr("skipped"),
			StartTime: at("2024-01-03 00:00:00"), Data: model.JSON{"env": nil, "build": "7", "annotations": []any{}}},
		{ID: uuid.New(), TestID: ptr("test_under_score"), Result: ptr("error"), Env: ptr("prod"), Duration: ptr(10.0),
			StartTime: at("2023-12-31 23:59:59.999999")},
	}
	runs := []model.Run{
		{ID: uuid.New(), ProjectID: &projectA, Component: ptr("run1"), Created: at("2024-02-01 00:00:00"), StartTime: at("2024-02-01 00:00:00"),
			Summary: model.JSON{"failures": 1, "tests": 4, "pass_percent": 50.0, "note": "x"}, Data: model.JSON{"tags": []any{"smoke"}}},
		{ID: uuid.New(), ProjectID: &projectA, Component: ptr("run2"), Created: at("2024-02-02 00:00:00"), StartTime: at("2024-02-02 00:00:00"),
			Summary: model.JSON{"failures": 0, "tests": 10, "pass_percent": 100}},
		{ID: uuid.New(), ProjectID: &projectB, Component: ptr("run3"), Created: at("2024-02-03 00:00:00"), StartTime: at("2024-02-03 00:00:00"),
			Summary: model.JSON{"failures": "oops", "tests": nil}},
		{ID: uuid.New(), ProjectID: &projectB, Component: ptr("run4"), Created: at("2024-02-04 00:00:00"), StartTime: at("2024-02-04 00:00:00")},
	}
	widgets := []model.WidgetConfig{
		{ID: uuid.New(), Title: ptr("w1"), Navigable: ptr(true), ProjectID: &projectA, Type: ptr("view"), Weight: ptr(5)},
		{ID: uuid.New(), Title: ptr("w2"), Navigable: ptr(false), ProjectID: &projectA, Type: ptr("widget"), Weight: ptr(10)},
		{ID: uuid.New(), Title: ptr("w3"), Navigable: ptr(true), Type: ptr("view"), Weight: ptr(1)},
		{ID: uuid.New(), Title: ptr("w4"), ProjectID: &projectB, Type: ptr("view")},
	}
	users := []model.User{
		{ID: uuid.New(), Email: "a@x", Name: ptr("u1"), Password: ptr("hash-a"), IsActive: true, IsSuperadmin: true},
		{ID: uuid.New(), Email: "b@x", Name: ptr("u2"), Password: ptr("hash-b"), ActivationCode: ptr("code")},
	}
	for _, rows := range []any{&results, &runs, &widgets, &users} {
		if err := d.gorm.Create(rows).Error; err != nil {
			t.Fatalf("%s insert: %v", d.name, err)
		}
	}
	return d
}

// selectNames runs the filters on a table and returns the label column of the matching rows, sorted.
func selectNames(d testDB, tb Table, label string, filters []string) ([]string, error) {
	sql, args, err := Build(d.dialect, tb, filters)
	if err != nil {
		return nil, err
	}
	q := d.gorm.Table(tb.Name)
	if sql != "" {
		q = q.Where(sql, args...)
	}
	var names []string
	if err := q.Pluck(label, &names).Error; err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

type execCase struct {
	filters []string
	want    string // space-separated labels, sorted; or rejected
}

// rejected is the want of a case Build refuses with ErrInvalid (a value that
// cannot be of its field's type).
const rejected = "<rejected>"

func checkCases(t testing.TB, d testDB, tb Table, label string, cases []execCase) {
	t.Helper()
	for _, c := range cases {
		got, err := selectNames(d, tb, label, c.filters)
		if c.want == rejected {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%s %s %q: err = %v, want ErrInvalid", d.name, tb.Name, c.filters, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s %q: %v", d.name, tb.Name, c.filters, err)
			continue
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s %s %q = %q, want %q", d.name, tb.Name, c.filters, strings.Join(got, " "), c.want)
		}
	}
}

const (
	r1, r2, r3, r4 = "test_login", "test_logout", "Test_Search_%", "test_under_score"
)

func rs(names ...string) string {
	slices.Sort(names)
	return strings.Join(names, " ")
}

var resultCases = []execCase{
	{nil, rs(r1, r2, r3, r4)},
	{[]string{"garbage", "nope=1", "=x"}, rs(r1, r2, r3, r4)},
	// text columns
	{[]string{"result=failed"}, rs(r2)},
	{[]string{"result!failed"}, rs(r1, r3, r4)},
	{[]string{"env!prod"}, rs(r2)}, // NULL env does not match
	{[]string{"env=prod"}, rs(r1, r4)},
	{[]string{`env="prod"`}, rs(r1, r4)},
	{[]string{"env=5"}, ""},
	{[]string{"result*passed;failed"}, rs(r1, r2)},
	{[]string{"env@true"}, rs(r1, r2, r4)},
	{[]string{"env@n"}, rs(r3)},
	{[]string{"env@"}, ""},
	{[]string{"result=passed", "env=prod"}, rs(r1)},
	{[]string{"result=passed,env=qa"}, ""}, // not split by Build: value "passed,env=qa"
	// numbers
	{[]string{"duration>1.5"}, rs(r2, r4)},
	{[]string{"duration)2.5"}, rs(r2, r4)},
	{[]string{"duration>=2.5"}, rs(r2, r4)},
	{[]string{"duration(1"}, rs(r1)},
	{[]string{"duration<=1"}, rs(r1)},
	{[]string{"duration<2"}, rs(r1)},
	{[]string{"duration=10"}, rs(r4)},
	{[]string{"duration!10"}, rs(r1, r2)},
	{[]string{"duration*1;10;x"}, rejected},
	{[]string{"duration*1;10;"}, rs(r1, r4)}, // a trailing ";" is no value
	{[]string{"duration>fast"}, rejected},
	{[]string{"duration~^2"}, rs(r2)},
	// uuids
	{[]string{"project_id=" + projectA.String()}, rs(r1, r2)},
	{[]string{"project_id=" + strings.ToUpper(projectA.String())}, rs(r1, r2)},
	{[]string{"project_id!" + projectA.String()}, rs(r3)},
	{[]string{"project_id=p1"}, rejected},
	{[]string{"project_id!p1"}, rejected},
	{[]string{"project_id*" + projectA.String() + ";" + projectB.String() + ";bad"}, rejected},
	{[]string{"project_id*" + projectA.String() + ";" + projectB.String()}, rs(r1, r2, r3)},
	{[]string{"project_id@false"}, rs(r4)},
	{[]string{"project_id@yes"}, rs(r1, r2, r3)},
	{[]string{"project_id~^0bb1"}, rs(r1, r2)},
	{[]string{"project_id%0BB1B7A4"}, rs(r1, r2)},
	// timestamps
	{[]string{"start_time>2024-01-01"}, rs(r1, r2, r3)},
	{[]string{"start_time<2024-01-01"}, rs(r4)},
	{[]string{"start_time=2024-01-03"}, rs(r3)},
	{[]string{"start_time=2024-01-02T10:00:00.5Z"}, rs(r2)},
	{[]string{"start_time)2024-01-02T10:00:00.5Z"}, rs(r2, r3)},
	{[]string{"start_time>2024-01-02T10:00:00.5Z"}, rs(r3)},
	{[]string{"start_time>2024-01-02 10:00:00+00:00"}, rs(r2, r3)},
	{[]string{"start_time>2024-01-02 10:00:00.499999+00:00"}, rs(r2, r3)},
	{[]string{"start_time>2024-01-02 10:00:00.500001+00:00"}, rs(r3)},
	{[]string{"start_time)2024-01-02T12:00:00.5+02:00"}, rs(r2, r3)},
	{[]string{"start_time(2023-12-31T23:59:59.999999"}, rs(r4)},
	{[]string{"start_time<2023-12-31T23:59:59.999999"}, ""},
	{[]string{"start_time)2024-01-01", "start_time(2024-01-02"}, rs(r1)},
	{[]string{"start_time*2024-01-03;2024-01-01T10:00:00;bad"}, rejected},
	{[]string{"start_time>yesterday"}, rejected},
	{[]string{"start_time>0000-01-01"}, rejected},
	{[]string{"start_time>0001-01-01"}, rs(r1, r2, r3, r4)},
	{[]string{"start_time<9999-12-31T23:59:59.9999999Z"}, rs(r1, r2, r3, r4)},
	// JSON paths, compared as text
	{[]string{"metadata.env=prod"}, rs(r1)},
	{[]string{"data.env=qa"}, rs(r2)},
	{[]string{"metadata.env!prod"}, rs(r2)},
	{[]string{"metadata.env@false"}, rs(r3, r4)},
	{[]string{"metadata.env@true"}, rs(r1, r2)},
	{[]string{"metadata.env@"}, ""},
	{[]string{"metadata.build=145"}, rs(r1)},
	{[]string{"metadata.build=7"}, rs(r3)},
	{[]string{"metadata.build>145"}, rs(r2, r3)},            // '7' > '145' as text
	{[]string{"metadata.jenkins.build_number>100"}, rs(r1)}, // '9' > '100', '10' < '100' (upstream quirk)
	{[]string{"metadata.jenkins.job_name=nightly"}, rs(r1, r2)},
	{[]string{"metadata.jenkins.job_name*nightly;weekly"}, rs(r1, r2)},
	{[]string{"metadata.jenkins@y"}, rs(r1, r2)},
	{[]string{"metadata.num=5"}, rs(r1)},
	{[]string{"metadata.num>4"}, rs(r1)},
	{[]string{"metadata.flag=true"}, rs(r1)},
	{[]string{"metadata.missing.deep=x"}, ""},
	{[]string{"metadata.env.deeper=x"}, ""},
	{[]string{"metadata.exception_name~^Assert"}, rs(r1)},
	{[]string{"metadata.exception_name~Error$"}, rs(r1, r2)},
	{[]string{"metadata.exception_name%ERROR"}, rs(r1, r2)},
	{[]string{"metadata.project=p1"}, rs(r1)},
	{[]string{"metadata@y"}, rs(r1, r2, r3)},
	{[]string{"metadata@n"}, rs(r4)},
	// array fields
	{[]string{"metadata.tags=smoke"}, rs(r1)},
	{[]string{"metadata.tags=ui"}, rs(r1)},
	{[]string{"data.tags=smoke"}, rs(r1)},
	{[]string{"metadata.tags=5"}, rs(r2)},
	{[]string{"metadata.tags=5.0"}, rs(r2)},
	{[]string{"metadata.tags=nightly"}, ""},
	{[]string{"metadata.tags*nightly;ui"}, rs(r1)},
	{[]string{"metadata.tags*regression;x"}, rs(r2)},
	{[]string{"metadata.tags*5"}, ""}, // `*` matches string elements only, as `?|` does
	{[]string{"metadata.tags@y"}, rs(r1, r2)},
	{[]string{"metadata.tags@n"}, rs(r3, r4)},
	{[]string{"metadata.markers=slow"}, rs(r2)},
	{[]string{"metadata.annotations@y"}, rs(r3)},
	{[]string{"metadata.annotations=x"}, ""},
	{[]string{"metadata.tags>1"}, rs(r1, r2, r3, r4)}, // ignored
	// regex and like on text columns
	{[]string{"test_id~^test_log"}, rs(r1, r2)},
	{[]string{"test_id~out$"}, rs(r2)},
	{[]string{"test_id~^test"}, rs(r1, r2, r4)}, // case-sensitive
	{[]string{"test_id~_%"}, rs(r3)},
	{[]string{"test_id%SEARCH"}, rs(r3)},
	{[]string{"test_id%search_%"}, rs(r3)},
	{[]string{"test_id%t%_"}, ""}, // % and _ are literal
	{[]string{"test_id%R_S"}, rs(r4)},
	{[]string{"test_id%"}, rs(r1, r2, r3, r4)},
	{[]string{`test_id%\`}, ""},
}

var runCases = []execCase{
	{[]string{"summary.failures)1"}, "run1"},
	{[]string{"summary.failures>=1"}, "run1"},
	{[]string{"summary.failures>5"}, ""},
	{[]string{"summary.failures=0"}, "run2"},
	{[]string{"summary.failures<1"}, "run2"},
	{[]string{"summary.failures!1"}, "run2"}, // "oops" and missing count as NULL
	{[]string{"summary.failures*0;1;x"}, rejected},
	{[]string{"summary.failures>x"}, rejected},
	{[]string{"summary.tests>5"}, "run2"},
	{[]string{"summary.pass_percent>49.5"}, "run1 run2"},
	{[]string{"summary.pass_percent=50"}, "run1"},
	{[]string{"summary.failures@y"}, "run1 run2 run3"},
	{[]string{"summary.tests@n"}, "run3 run4"},
	{[]string{"summary.failures~^o"}, "run3"},
	{[]string{"summary.note=x"}, "run1"},
	{[]string{"summary@n"}, "run4"},
	{[]string{"created>2024-02-02"}, "run3 run4"},
	{[]string{"metadata.tags=smoke"}, "run1"},
	{[]string{"project_id=" + projectB.String(), "summary.failures@y"}, "run3"},
}

var widgetCases = []execCase{
	{[]string{"navigable=true"}, "w1 w3"},
	{[]string{"navigable=False"}, "w2"},
	{[]string{"navigable!true"}, "w2"},
	{[]string{"navigable=maybe"}, rejected},
	{[]string{"navigable@n"}, "w4"},
	{[]string{"project_id=" + projectA.String()}, "w1 w2 w3"}, // global rows too
	{[]string{"type=view", "navigable=true", "project_id=" + projectA.String()}, "w1 w3"},
	{[]string{"project_id=" + projectB.String()}, "w3 w4"},
	{[]string{"project_id=nope"}, rejected},
	{[]string{"weight>1.5"}, "w1 w2"},
	{[]string{"weight=5"}, "w1"},
	{[]string{"weight*1;10"}, "w2 w3"},
	{[]string{"title%W"}, "w1 w2 w3 w4"},
}

var userCases = []execCase{
	{[]string{"is_active=true"}, "u1"},
	{[]string{"is_superadmin=false"}, "u2"},
	{[]string{"_password=hash-a"}, "u1 u2"}, // ignored
	{[]string{"_password~a"}, "u1 u2"},
	{[]string{"activation_code=code"}, "u1 u2"},
	{[]string{"email%B@"}, "u2"},
}

// databases lists the openers; each test runs as one subtest per database so
// a missing PostgreSQL skips only its half.
var databases = []struct {
	name string
	open func(testing.TB) testDB
}{{"sqlite", openSQLite}, {"postgres", openPostgres}}

func TestExecute(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			d := db.open(t)
			checkCases(t, d, Results, "test_id", resultCases)
			checkCases(t, d, Runs, "component", runCases)
			checkCases(t, d, WidgetConfigs, "title", widgetCases)
			checkCases(t, d, Users, "name", userCases)
		})
	}
}

func TestExecuteInvalidRegex(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		d := openSQLite(t)
		if _, err := selectNames(d, Results, "test_id", []string{"test_id~("}); !errors.Is(err, ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		d := openPostgres(t)
		_, err := selectNames(d, Results, "test_id", []string{"test_id~("})
		if err == nil || !IsInvalidPattern(err) {
			t.Errorf("err = %v, want an invalid-pattern error", err)
		}
	})
	if IsInvalidPattern(errors.New("x")) || IsInvalidPattern(nil) {
		t.Error("IsInvalidPattern accepts other errors")
	}
}

// TestSQLiteTimeStorage pins the storage format the SQLite dialect assumes:
// what GORM and glebarez/sqlite write for a UTC time.Time.
func TestSQLiteTimeStorage(t *testing.T) {
	d := openSQLite(t)
	var stored []string
	if err := d.gorm.Raw("SELECT CAST(start_time AS TEXT) FROM results ORDER BY test_id").Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	want := []string{"2024-01-03 00:00:00+00:00", "2024-01-01 10:00:00+00:00", "2024-01-02 10:00:00.5+00:00", "2023-12-31 23:59:59.999999+00:00"}
	if !slices.Equal(stored, want) {
		t.Errorf("stored times = %q, want %q", stored, want)
	}
	for i, s := range want {
		if got := (sqliteDialect{}).timeArg(at(strings.TrimSuffix(s, "+00:00"))); got != want[i] {
			t.Errorf("timeArg = %v, want %v", got, want[i])
		}
	}
}

// testenvConfigured reports whether a test PostgreSQL is configured, for
// tests that use it only when available.
func testenvConfigured() bool {
	return strings.TrimSpace(os.Getenv(testenv.PostgresEnv)) != ""
}
