package filter

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

const uid = "0bb1b7a4-5f7e-4b5c-9c1f-6c1e0b1e2c3d"

// sqliteText is the SQLite text extraction of a JSON path, as built by jsonText.
const sqliteText = `(CASE json_type("data", ?) WHEN 'null' THEN NULL WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract("data", ?) AS TEXT) END)`

type buildCase struct {
	name    string
	table   Table
	filters []string
	sql     string
	args    []any
}

func runBuildCases(t *testing.T, d Dialect, cases []buildCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sql, args, err := Build(d, c.table, c.filters)
			if err != nil {
				t.Fatalf("Build(%q): %v", c.filters, err)
			}
			if sql != c.sql {
				t.Errorf("Build(%q) sql\n got %s\nwant %s", c.filters, sql, c.sql)
			}
			if !reflect.DeepEqual(args, c.args) {
				t.Errorf("Build(%q) args = %#v, want %#v", c.filters, args, c.args)
			}
		})
	}
}

// commonCases produce the same SQL on both dialects.
var commonCases = []buildCase{
	{"no filters", Results, nil, "", nil},
	{"unparseable ignored", Results, []string{"", "=x", "garbage", " a=b"}, "", nil},
	{"unknown field ignored", Results, []string{"nope=1", "summary.failures>1", "params.x=1"}, "", nil},
	{"secret columns ignored", Users, []string{"_password=x", "activation_code=y", "password=z"}, "", nil},
	{"exists empty", Results, []string{"env@"}, "1=0", nil},
	{"exists column", Results, []string{"env@yes", "component@false", "run_id@1"},
		`("env" IS NOT NULL) AND ("component" IS NULL) AND ("run_id" IS NOT NULL)`, nil},
	{"json column exists", Results, []string{"metadata@y", "data@n", "params@t"},
		`("data" IS NOT NULL) AND ("data" IS NULL) AND ("params" IS NOT NULL)`, nil},
	{"json column compare ignored", Results, []string{"metadata=x", "params~x"}, "", nil},
	{"array other ops ignored", Results, []string{"metadata.tags>1", "metadata.markers~x", "metadata.annotations%x"}, "", nil},
	{"empty path part ignored", Results, []string{"metadata..x=1", "metadata.=1", "metadata.x.=1"}, "", nil},
	{"summary only on runs", Results, []string{"summary.tests>1"}, "", nil},
}

func TestBuildPostgres(t *testing.T) {
	runBuildCases(t, Postgres, commonCases)
	runBuildCases(t, Postgres, []buildCase{
		{"text eq", Results, []string{"result=failed"}, `("result" = CAST(? AS text))`, []any{"failed"}},
		{"text stays text", Results, []string{"env=5"}, `("env" = CAST(? AS text))`, []any{"5"}},
		{"ne", Results, []string{"env!prod"}, `("env" <> CAST(? AS text))`, []any{"prod"}},
		{"ordering", Results, []string{"duration>1.5", "duration<2", "duration)3", "duration>=4", "duration(5", "duration<=6e0"},
			`("duration" > CAST(? AS numeric)) AND ("duration" < CAST(? AS numeric)) AND ("duration" >= CAST(? AS numeric)) AND ` +
				`("duration" >= CAST(? AS numeric)) AND ("duration" <= CAST(? AS numeric)) AND ("duration" <= CAST(? AS numeric))`,
			[]any{1.5, int64(2), int64(3), int64(4), int64(5), 6.0}},
		{"uuid", Results, []string{"project_id=" + strings.ToUpper(uid)}, `("project_id" = CAST(? AS uuid))`, []any{uid}},
		{"timestamp", Results, []string{"start_time>2024-01-01", "start_time(2024-01-01T10:00:00+02:00"},
			`("start_time" > CAST(? AS timestamp)) AND ("start_time" <= CAST(? AS timestamp))`,
			[]any{"2024-01-01 00:00:00", "2024-01-01 08:00:00"}},
		{"widget time window", Runs, []string{"start_time>2024-03-01 10:00:00.123456+00:00"},
			`("start_time" > CAST(? AS timestamp))`, []any{"2024-03-01 10:00:00.123456"}},
		{"bool", WidgetConfigs, []string{"navigable=TRUE"}, `("navigable" = CAST(? AS boolean))`, []any{true}},
		{"int column", WidgetConfigs, []string{"weight>1.5"}, `("weight" > CAST(? AS numeric))`, []any{1.5}},
		{"json text", Results, []string{"metadata.jenkins.build_number>100"},
			`(("data" -> ?::text ->> ?::text) > CAST(? AS text))`, []any{"jenkins", "build_number", "100"}},
		{"json single digit is text", Results, []string{"data.build=5"},
			`(("data" ->> ?::text) = CAST(? AS text))`, []any{"build", "5"}},
		{"json keys with dash", Results, []string{"metadata.a-b.c_d.0=x"},
			`(("data" -> ?::text -> ?::text ->> ?::text) = CAST(? AS text))`, []any{"a-b", "c_d", "0", "x"}},
		{"regex", Results, []string{"test_id~^test_.*login("}, `("test_id" ~ ?::text)`, []any{"^test_.*login("}},
		{"regex uuid cast", Results, []string{"id~^0b"}, `(CAST("id" AS text) ~ ?::text)`, []any{"^0b"}},
		{"like", Projects, []string{"title%P_1%"}, `("title" ILIKE ?::text)`, []any{`%P\_1\%%`}},
		{"like timestamp", Results, []string{"start_time%2024"}, `(CAST("start_time" AS text) ILIKE ?::text)`, []any{"%2024%"}},
		{"in", Results, []string{"result*passed;failed"},
			`("result" IN (CAST(? AS text), CAST(? AS text)))`, []any{"passed", "failed"}},
		{"in skips a trailing separator", Results, []string{"id*" + uid + ";"}, `("id" IN (CAST(? AS uuid)))`, []any{uid}},
		{"json exists", Results, []string{"metadata.env@false"}, `(("data" ->> ?::text) IS NULL)`, []any{"env"}},
		{"array contains", Results, []string{"metadata.tags=smoke"},
			`(("data" -> ?::text) @> ?::jsonb)`, []any{"tags", `"smoke"`}},
		{"array contains number", Results, []string{"metadata.tags=5"},
			`(("data" -> ?::text) @> ?::jsonb OR ("data" -> ?::text) @> ?::jsonb)`, []any{"tags", `"5"`, "tags", "5"}},
		{"array contains version", Results, []string{"data.markers=1.2.3"},
			`(("data" -> ?::text) @> ?::jsonb)`, []any{"markers", `"1.2.3"`}},
		{"array any", Results, []string{"metadata.tags*a;b"},
			`jsonb_exists_any(("data" -> ?::text), ARRAY[?::text, ?::text])`, []any{"tags", "a", "b"}},
		{"array exists", Results, []string{"metadata.annotations@t"}, `(("data" ->> ?::text) IS NOT NULL)`, []any{"annotations"}},
		{"summary numeric", Runs, []string{"summary.failures)1"},
			`((CASE WHEN jsonb_typeof(("summary" -> ?::text)) = 'number' THEN CAST(("summary" ->> ?::text) AS numeric) END) >= CAST(? AS numeric))`,
			[]any{"failures", "failures", int64(1)}},
		{"summary numeric regex is text", Runs, []string{"summary.failures~1"},
			`(("summary" ->> ?::text) ~ ?::text)`, []any{"failures", "1"}},
		{"summary other key is text", Runs, []string{"summary.collected>3"},
			`(("summary" ->> ?::text) > CAST(? AS text))`, []any{"collected", "3"}},
		{"and", Results, []string{"result=passed", "env=prod"},
			`("result" = CAST(? AS text)) AND ("env" = CAST(? AS text))`, []any{"passed", "prod"}},
		{"project or global", WidgetConfigs, []string{"type=view", "project_id=" + uid},
			`("type" = CAST(? AS text)) AND ("project_id" IS NULL OR ("project_id" = CAST(? AS uuid)))`, []any{"view", uid}},
		{"project or global value only", WidgetConfigs, []string{"title=project"},
			`("title" = CAST(? AS text))`, []any{"project"}},
		{"qualified", Results.As("r"), []string{"env=x", "metadata.a=b"},
			`("r"."env" = CAST(? AS text)) AND (("r"."data" ->> ?::text) = CAST(? AS text))`, []any{"x", "a", "b"}},
		{"qualified by name", Results.As(""), []string{"env=x"}, `("results"."env" = CAST(? AS text))`, []any{"x"}},
	})
}

func TestBuildSQLite(t *testing.T) {
	runBuildCases(t, SQLite, commonCases)
	runBuildCases(t, SQLite, []buildCase{
		{"text eq", Results, []string{"result=failed"}, `("result" = ?)`, []any{"failed"}},
		{"ordering", Results, []string{"duration>1.5", "duration)3", "duration(5"},
			`("duration" > ?) AND ("duration" >= ?) AND ("duration" <= ?)`, []any{1.5, int64(3), int64(5)}},
		{"uuid", Results, []string{"project_id=" + strings.ToUpper(uid)}, `("project_id" = ?)`, []any{uid}},
		{"timestamp", Results, []string{"start_time>2024-01-01", "start_time(2024-01-01T10:00:00.250+02:00"},
			`("start_time" > ?) AND ("start_time" <= ?)`,
			[]any{"2024-01-01 00:00:00+00:00", "2024-01-01 08:00:00.25+00:00"}},
		{"bool", WidgetConfigs, []string{"navigable=false"}, `("navigable" = ?)`, []any{false}},
		{"json text", Results, []string{"metadata.jenkins.build_number>100"},
			"(" + sqliteText + " > ?)", []any{`$."jenkins"."build_number"`, `$."jenkins"."build_number"`, "100"}},
		{"regex", Results, []string{"test_id~^test_.*login"}, `("test_id" REGEXP ?)`, []any{"^test_.*login"}},
		{"regex uuid cast", Results, []string{"id~^0b"}, `(CAST("id" AS TEXT) REGEXP ?)`, []any{"^0b"}},
		{"like", Projects, []string{"title%P_1%"}, `(lower("title") LIKE lower(?) ESCAPE '\')`, []any{`%P\_1\%%`}},
		{"in", Results, []string{"result*passed;failed"}, `("result" IN (?, ?))`, []any{"passed", "failed"}},
		{"json exists", Results, []string{"metadata.env@false"}, "(" + sqliteText + " IS NULL)", []any{`$."env"`, `$."env"`}},
		{"array contains", Results, []string{"metadata.tags=smoke"},
			`EXISTS (SELECT 1 FROM json_each("data", ?) AS je WHERE json_type("data", ?) <> 'object' AND (je.type = 'text' AND je.value = ?))`,
			[]any{`$."tags"`, `$."tags"`, "smoke"}},
		{"array contains number", Results, []string{"metadata.tags=5"},
			`EXISTS (SELECT 1 FROM json_each("data", ?) AS je WHERE json_type("data", ?) <> 'object' AND ((je.type = 'text' AND je.value = ?) OR (je.type IN ('integer', 'real') AND je.value = ?)))`,
			[]any{`$."tags"`, `$."tags"`, "5", int64(5)}},
		{"array any", Results, []string{"metadata.tags*a;b"},
			`EXISTS (SELECT 1 FROM json_each("data", ?) AS je WHERE json_type("data", ?) <> 'object' AND (je.type = 'text' AND je.value IN (?, ?)))`,
			[]any{`$."tags"`, `$."tags"`, "a", "b"}},
		{"summary numeric", Runs, []string{"summary.tests>10"},
			`((CASE WHEN json_type("summary", ?) IN ('integer', 'real') THEN json_extract("summary", ?) END) > ?)`,
			[]any{`$."tests"`, `$."tests"`, int64(10)}},
		{"project or global", WidgetConfigs, []string{"project_id=" + uid},
			`("project_id" IS NULL OR ("project_id" = ?))`, []any{uid}},
	})
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name    string
		d       Dialect
		table   Table
		filters []string
		invalid bool
	}{
		{"bad regex sqlite", SQLite, Results, []string{"test_id~("}, true},
		{"uuid non-uuid", Postgres, Results, []string{"project_id=p1"}, true},
		{"uuid non-uuid ne", SQLite, Results, []string{"run_id!p1"}, true},
		{"number non-number", Postgres, Results, []string{"duration>fast"}, true},
		{"version on number", SQLite, Results, []string{"duration=1.2.3"}, true},
		{"time non-time", Postgres, Results, []string{"start_time>yesterday"}, true},
		{"bool non-bool", SQLite, WidgetConfigs, []string{"navigable=maybe"}, true},
		{"in with a non-uuid", Postgres, Results, []string{"id*" + uid + ";b"}, true},
		{"summary number", SQLite, Runs, []string{"summary.failures>x"}, true},
		{"bad utf8", Postgres, Results, []string{"env=\xff"}, true},
		{"nul byte", SQLite, Results, []string{"env=a\x00b"}, true},
		{"too many values", Postgres, Results, []string{"result*" + strings.Repeat("a;", maxArgs)}, true},
		{"bad column name", Postgres, Table{Name: "x", Columns: map[string]Kind{`a"b`: Text}}, nil, false},
		{"bad qualifier", Postgres, Results.As("r;"), nil, false},
		{"json path to non-json", Postgres, Table{Name: "x", Columns: map[string]Kind{"data": Text}, JSONPaths: metadataPaths}, nil, false},
		{"project rule without column", Postgres, Table{Name: "x", ProjectOrGlobal: true}, nil, false},
		{"unknown dialect", Dialect(9), Results, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Build(tt.d, tt.table, tt.filters)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrInvalid) != tt.invalid {
				t.Errorf("errors.Is(%v, ErrInvalid) = %v, want %v", err, !tt.invalid, tt.invalid)
			}
		})
	}
	// The same inputs are fine where they do not apply.
	for _, f := range []string{"test_id~(", "nope=\xff"} {
		if _, _, err := Build(Postgres, Results, []string{f}); err != nil {
			t.Errorf("Build(postgres, %q): %v", f, err)
		}
	}
}

func TestReadyTablesValid(t *testing.T) {
	for _, tb := range []Table{Results, Runs, Projects, Users, Groups, Dashboards, WidgetConfigs, Imports, Artifacts} {
		if err := tb.validate(); err != nil {
			t.Errorf("%s: %v", tb.Name, err)
		}
	}
	for _, secret := range []string{"_password", "activation_code"} {
		if _, ok := Users.Columns[secret]; ok {
			t.Errorf("users.%s is filterable", secret)
		}
	}
	if _, ok := Artifacts.Columns["content"]; ok {
		t.Error("artifacts.content is filterable")
	}
}

func TestDialectString(t *testing.T) {
	if Postgres.String() != "postgres" || SQLite.String() != "sqlite" || Dialect(7).String() != "Dialect(7)" {
		t.Error("unexpected Dialect names")
	}
	if DialectOf(nil) != Postgres || DialectOf(&db.DB{Dialect: db.Postgres}) != Postgres ||
		DialectOf(&db.DB{Dialect: db.SQLite}) != SQLite {
		t.Error("DialectOf maps db dialects wrongly")
	}
}

func TestCheckFields(t *testing.T) {
	for _, ok := range [][]string{nil, {"garbage", "=x"}, {"duration>1", "metadata.anything.deep=x", "data.x@y"}, {"summary.failures>1"}} {
		tb := Results
		if len(ok) == 1 {
			tb = Runs
		}
		if err := CheckFields(tb, ok); err != nil {
			t.Errorf("CheckFields(%s, %q) = %v", tb.Name, ok, err)
		}
	}
	err := CheckFields(Results, []string{"env=a", "metdata.env=x"})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	for _, want := range []string{`unknown field "metdata.env"`, "duration", "metadata.<path>", "test_id"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "data.<path>") && !strings.Contains(err.Error(), "metadata.<path>") {
		t.Errorf("message %q names the data alias", err)
	}
	if err := CheckFields(Results, []string{"summary.failures>1"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("summary on results: %v, want ErrInvalid", err)
	}
}
