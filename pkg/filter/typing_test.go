package filter

import (
	"testing"
	"time"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want any
		ok   bool
	}{
		{"10", int64(10), true},
		{"007", int64(7), true},
		{"0", int64(0), true},
		{"99999999999999999999", 1e20, true},
		{"1.5", 1.5, true},
		{"-2", -2.0, true},
		{"+3.", 3.0, true},
		{".5", 0.5, true},
		{"1e3", 1000.0, true},
		{"2.5E-1", 0.25, true},
		{"1.2.3", nil, false},
		{"2024-01-01", nil, false},
		{"5abc", nil, false},
		{"abc", nil, false},
		{"", nil, false},
		{"1e999", nil, false},
		{"inf", nil, false},
		{"NaN", nil, false},
		{"0x10", nil, false},
		{"1_000", nil, false},
		{" 5", nil, false},
		{"٣", nil, false}, // non-ASCII digit
	}
	for _, tt := range tests {
		got, ok := parseNumber(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseNumber(%q) = %#v, %v; want %#v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"true", "TRUE", "True", "t", "yes", "Y", "on", "1"} {
		if v, ok := parseBool(s); !ok || !v {
			t.Errorf("parseBool(%q) = %v, %v; want true", s, v, ok)
		}
	}
	for _, s := range []string{"false", "FALSE", "f", "no", "N", "off", "0"} {
		if v, ok := parseBool(s); !ok || v {
			t.Errorf("parseBool(%q) = %v, %v; want false", s, v, ok)
		}
	}
	for _, s := range []string{"", "maybe", "2", "tru"} {
		if _, ok := parseBool(s); ok {
			t.Errorf("parseBool(%q) accepted", s)
		}
	}
}

func TestParseUUID(t *testing.T) {
	const canon = "0bb1b7a4-5f7e-4b5c-9c1f-6c1e0b1e2c3d"
	for _, s := range []string{canon, "0BB1B7A4-5F7E-4B5C-9C1F-6C1E0B1E2C3D", "0bb1b7a45f7e4b5c9c1f6c1e0b1e2c3d", "{" + canon + "}"} {
		if got, ok := parseUUID(s); !ok || got != canon {
			t.Errorf("parseUUID(%q) = %q, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "p1", "0bb1b7a4", canon + "0", "'; drop table x; --"} {
		if _, ok := parseUUID(s); ok {
			t.Errorf("parseUUID(%q) accepted", s)
		}
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)
	for _, s := range []string{
		"2024-01-02T03:04:05.123456", "2024-01-02T03:04:05.123456Z", "2024-01-02 03:04:05.123456+00:00",
		"2024-01-02T05:04:05.123456+02:00", "2024-01-01T22:04:05.123456-05:00",
	} {
		if got, ok := parseTime(s); !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	if got, ok := parseTime("2024-01-02"); !ok || !got.Equal(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("parseTime(date) = %v, %v", got, ok)
	}
	for _, s := range []string{"", "yesterday", "5", "2024-13-01", "2024-01-01'; --", "0000-01-01", "0000-12-31T23:00:00+02:00"} {
		if _, ok := parseTime(s); ok {
			t.Errorf("parseTime(%q) accepted", s)
		}
	}
}

func TestTimeArgs(t *testing.T) {
	tests := []struct {
		t      time.Time
		pg, sl string
	}{
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02 03:04:05", "2024-01-02 03:04:05+00:00"},
		{time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC), "2024-01-02 03:04:05.5", "2024-01-02 03:04:05.5+00:00"},
		{time.Date(2024, 1, 2, 5, 4, 5, 123456000, time.FixedZone("x", 7200)), "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.123456+00:00"},
	}
	for _, tt := range tests {
		if got := (pgDialect{}).timeArg(tt.t); got != tt.pg {
			t.Errorf("postgres timeArg(%v) = %v, want %v", tt.t, got, tt.pg)
		}
		if got := (sqliteDialect{}).timeArg(tt.t); got != tt.sl {
			t.Errorf("sqlite timeArg(%v) = %v, want %v", tt.t, got, tt.sl)
		}
	}
}

func TestExistsWanted(t *testing.T) {
	tests := []struct {
		in       string
		want, ok bool
	}{
		{"y", true, true}, {"Yes", true, true}, {"true", true, true}, {"T", true, true}, {"1", true, true},
		{"false", false, true}, {"no", false, true}, {"0", false, true}, {"x", false, true}, {"", false, false},
	}
	for _, tt := range tests {
		if want, ok := existsWanted(tt.in); want != tt.want || ok != tt.ok {
			t.Errorf("existsWanted(%q) = %v, %v", tt.in, want, ok)
		}
	}
}

func TestLikePattern(t *testing.T) {
	tests := map[string]string{
		"abc": "%abc%", "": "%%", "50%": `%50\%%`, "a_b": `%a\_b%`, `c:\x`: `%c:\\x%`, `'`: `%'%`,
	}
	for in, want := range tests {
		if got := likePattern(in); got != want {
			t.Errorf("likePattern(%q) = %q, want %q", in, got, want)
		}
	}
}
