package sqlitefunc

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"testing"
)

func TestRegisterIdempotent(t *testing.T) {
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	if err := Register(); err != nil {
		t.Fatalf("second Register: %v", err)
	}
}

func TestRegexpInSQLite(t *testing.T) {
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	tests := []struct {
		query string
		want  sql.NullInt64
	}{
		{`SELECT 'test_login' REGEXP '^test_'`, sql.NullInt64{Int64: 1, Valid: true}},
		{`SELECT 'test_login' REGEXP 'Login'`, sql.NullInt64{Int64: 0, Valid: true}},
		{`SELECT 'a.b' REGEXP '\.'`, sql.NullInt64{Int64: 1, Valid: true}},
		{`SELECT 12345 REGEXP '^123'`, sql.NullInt64{Int64: 1, Valid: true}},
		{`SELECT 1.5 REGEXP '^1\.5$'`, sql.NullInt64{Int64: 1, Valid: true}},
		{`SELECT NULL REGEXP 'a'`, sql.NullInt64{}},
		{`SELECT 'a' REGEXP NULL`, sql.NullInt64{}},
	}
	for _, tt := range tests {
		var got sql.NullInt64
		if err := db.QueryRow(tt.query).Scan(&got); err != nil {
			t.Errorf("%s: %v", tt.query, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s = %v, want %v", tt.query, got, tt.want)
		}
	}
	var x any
	err = db.QueryRow(`SELECT 'a' REGEXP '('`).Scan(&x)
	if err == nil || !strings.Contains(err.Error(), "invalid regular expression") {
		t.Errorf("invalid pattern: err = %v", err)
	}
}

func TestPatternCacheBounded(t *testing.T) {
	c := NewPatternCache(3)
	for i := range 10 {
		if _, err := c.Compile(fmt.Sprintf("p%d", i)); err != nil {
			t.Fatal(err)
		}
		if c.Len() > 3 {
			t.Fatalf("cache grew to %d", c.Len())
		}
	}
	a, _ := c.Compile("same")
	b, _ := c.Compile("same")
	if a != b {
		t.Error("a cached pattern was compiled again")
	}
	if _, err := c.Compile("(["); err == nil {
		t.Error("invalid pattern compiled")
	}
	if n := NewPatternCache(0); n.limit != 1 {
		t.Errorf("NewPatternCache(0).limit = %d", n.limit)
	}
}

func TestSQLRegexpArgs(t *testing.T) {
	c := NewPatternCache(4)
	tests := []struct {
		args []driver.Value
		want driver.Value
	}{
		{[]driver.Value{"b", "abc"}, int64(1)},
		{[]driver.Value{"^b", "abc"}, int64(0)},
		{[]driver.Value{"^ab", []byte("abc")}, int64(1)},
		{[]driver.Value{"^4", int64(42)}, int64(1)},
		{[]driver.Value{"^0\\.25$", 0.25}, int64(1)},
		{[]driver.Value{nil, "a"}, nil},
		{[]driver.Value{"a", nil}, nil},
		{[]driver.Value{"a"}, nil},
	}
	for _, tt := range tests {
		got, err := c.sqlRegexp(nil, tt.args)
		if err != nil || got != tt.want {
			t.Errorf("regexp(%v) = %v, %v; want %v", tt.args, got, err, tt.want)
		}
	}
}
