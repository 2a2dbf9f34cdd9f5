package model

import (
	"testing"
	"time"
)

func TestFormatTime(t *testing.T) {
	cases := map[time.Time]string{
		time.Date(2020, 5, 15, 16, 18, 32, 14053000, time.UTC):           "2020-05-15T16:18:32.014053Z",
		time.Date(2020, 5, 15, 16, 18, 32, 0, time.UTC):                  "2020-05-15T16:18:32Z",
		time.Date(2020, 5, 15, 16, 18, 32, 140000000, time.UTC):          "2020-05-15T16:18:32.140000Z",
		time.Date(2020, 5, 15, 18, 18, 32, 0, time.FixedZone("x", 7200)): "2020-05-15T16:18:32Z",
	}
	for in, want := range cases {
		if got := FormatTime(in); got != want {
			t.Errorf("FormatTime(%v)=%s want %s", in, got, want)
		}
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2025, 3, 1, 10, 0, 0, 123456000, time.UTC)
	for _, in := range []string{"2025-03-01T10:00:00.123456+00:00", "2025-03-01T10:00:00.123456Z", "2025-03-01T12:00:00.123456+02:00", "2025-03-01 10:00:00.123456", "2025-03-01T10:00:00.123456789Z"} {
		got, err := ParseTime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q)=%v,%v", in, got, err)
		}
	}
	if got, err := ParseTime("2024-01-02"); err != nil || !got.Equal(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date only: %v %v", got, err)
	}
	if got, err := ParseTime("2024-12-31T23:59:59.999Z"); err != nil || got.Nanosecond() != 999000000 {
		t.Errorf("JS toISOString: %v %v", got, err)
	}
	for _, bad := range []string{"", "yesterday", "2024-13-01", "2024-01-02T25:00:00"} {
		if _, err := ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) should fail", bad)
		}
	}
}
