package filter

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Expr
		ok   bool
	}{
		{"result=failed", Expr{"result", OpEq, "failed"}, true},
		{"a=b=c", Expr{"a", OpEq, "b=c"}, true},
		{"x!=y", Expr{"x", OpNe, "=y"}, true},
		{"duration>1.5", Expr{"duration", OpGt, "1.5"}, true},
		{"duration<1.5", Expr{"duration", OpLt, "1.5"}, true},
		{"start_time>=2024-01-01", Expr{"start_time", OpGe, "2024-01-01"}, true},
		{"start_time)2024-01-01", Expr{"start_time", OpGe, "2024-01-01"}, true},
		{"start_time<=2024-01-01", Expr{"start_time", OpLe, "2024-01-01"}, true},
		{"start_time(2024-01-01", Expr{"start_time", OpLe, "2024-01-01"}, true},
		{"test_id~^test_.*$", Expr{"test_id", OpRegex, "^test_.*$"}, true},
		{"metadata.tags*smoke;ui", Expr{"metadata.tags", OpIn, "smoke;ui"}, true},
		{"title%p", Expr{"title", OpLike, "p"}, true},
		{"metadata.env@false", Expr{"metadata.env", OpExists, "false"}, true},
		{"a>>b", Expr{"a", OpGt, ">b"}, true},
		{"a=>b", Expr{"a", OpEq, ">b"}, true},
		{`name="quoted"`, Expr{"name", OpEq, "quoted"}, true},
		{`name=""x""`, Expr{"name", OpEq, "x"}, true},
		{`name=a"b`, Expr{"name", OpEq, `a"b`}, true},
		{"env=", Expr{"env", OpEq, ""}, true},
		{"metadata.x-y_z.0=1", Expr{"metadata.x-y_z.0", OpEq, "1"}, true},
		{"a=b c,d", Expr{"a", OpEq, "b c,d"}, true},
		{"", Expr{}, false},
		{"=x", Expr{}, false},
		{"abc", Expr{}, false},
		{"a b=c", Expr{}, false},
		{"a?b", Expr{}, false},
		{"a＞b", Expr{}, false}, // fullwidth operators are not recognised
		{"ＡＢ=1", Expr{}, false},
		{" a=b", Expr{}, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{nil, nil},
		{[]string{"a=1", "b=2"}, []string{"a=1", "b=2"}},
		{[]string{"a=1,b=2", "c=3"}, []string{"a=1", "b=2", "c=3"}},
		{[]string{"", ",,", "a=1,"}, []string{"a=1"}},
		{[]string{"a=x;y", " b=2"}, []string{"a=x;y", " b=2"}},
	}
	for _, tt := range tests {
		if got := Split(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHasProjectFilter(t *testing.T) {
	tests := []struct {
		in   []string
		want bool
	}{
		{nil, false},
		{[]string{"result=failed"}, false},
		{[]string{"result=failed", "project_id=x"}, true},
		{[]string{"project_id@y"}, true},
		{[]string{"metadata.project=p1"}, true},
		{[]string{"data.project~p"}, true},
		{[]string{"metadata.project.name=p1"}, false},
		{[]string{"project=p1"}, false},
		{[]string{"project_ids=x"}, false},
		{[]string{"project_id"}, false},
		{[]string{"xproject_id=1"}, false},
	}
	for _, tt := range tests {
		if got := HasProjectFilter(tt.in); got != tt.want {
			t.Errorf("HasProjectFilter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
