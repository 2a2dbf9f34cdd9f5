package quarantine

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

func TestParsePattern(t *testing.T) {
	for _, tc := range []struct {
		in   string
		glob bool
		bad  string // expected start of the detail, "" when valid
	}{
		{"tests.api.TestOrders.test_create", false, ""},
		{"test_x[1.5-a b]", false, ""},
		{"tests.api.*", true, ""},
		{"*timeout*", true, ""},
		{"", false, "pattern: must not be empty"},
		{"   ", false, "pattern: must not be empty"},
		{" test_a", false, "pattern: must not begin or end"},
		{"a\nb", false, "pattern: must not contain control"},
		{"a\x00b", false, "pattern: must not contain control"},
		{"***", false, "pattern: must contain something besides"},
		{"a*b*c*d*e*f*", false, "pattern: must contain at most 5"},
		{strings.Repeat("x", MaxPatternLen+1), false, "pattern: must be at most"},
		{"\xff", false, "pattern: must be valid UTF-8"},
	} {
		p, err := ParsePattern(tc.in)
		if tc.bad == "" {
			if err != nil || p.Glob != tc.glob || p.Text != tc.in {
				t.Errorf("%q: got %+v, %v", tc.in, p, err)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.KindInvalid || !strings.HasPrefix(e.Message, tc.bad) {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.bad)
			continue
		}
		if body, _ := e.Body.(map[string]any); body["field"] != "pattern" {
			t.Errorf("%q: body %v does not name the field", tc.in, e.Body)
		}
	}
}

func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, id string
		want        bool
	}{
		{"test_a", "test_a", true},
		{"test_a", "test_ab", false},
		{"test_a", "Test_a", false},
		{"test_%", "test_x", false}, // % and _ are literal
		{"test_*", "test_x", true},
		{"test_*", "test_", true},
		{"*.test_x", "a.b.test_x", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"*[1]", "test_x[1]", true},
		{"t?st*", "test", false}, // ? is literal
		{"t?st*", "t?st1", true},
		{"a*a*a*a*a*b", strings.Repeat("a", 5000), false},
	} {
		p, err := ParsePattern(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Matches(tc.id); got != tc.want {
			t.Errorf("%q ~ %q: got %v", tc.pattern, tc.id, got)
		}
	}
}

func TestSQLPatterns(t *testing.T) {
	p, _ := ParsePattern(`a_b%c\d*[x]?`)
	if got, want := p.LikePattern(), `a\_b\%c\\d%[x]?`; got != want {
		t.Errorf("like: %q want %q", got, want)
	}
	if got, want := p.GlobPattern(), `a_b%c\d*[[]x][?]`; got != want {
		t.Errorf("glob: %q want %q", got, want)
	}
}

func TestNodeID(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		id   string
		n    *nodeRow
		want string
	}{
		{"test_a", nil, ""},
		{"TestX.test_a", &nodeRow{NodeID: s("tests/test_x.py::TestX::test_a")}, "tests/test_x.py::TestX::test_a"},
		{"TestX.test_a[1.5]", &nodeRow{FSPath: s("tests/test_x.py")}, "tests/test_x.py::TestX::test_a[1.5]"},
		{"test_a", &nodeRow{NodeID: s("bad\nid"), FSPath: s("t.py")}, "t.py::test_a"},
		{"test_a", &nodeRow{}, ""},
	} {
		if got := NodeID(tc.id, tc.n); got != tc.want {
			t.Errorf("%q: got %q want %q", tc.id, got, tc.want)
		}
	}
}
