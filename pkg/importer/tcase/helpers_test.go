package tcase

import "testing"

func TestSplitException(t *testing.T) {
	for in, want := range map[string]string{
		"System.Exception : boom":                     "System.Exception",
		"TypeError: x is undefined":                   "TypeError",
		"AssertionError [ERR_ASSERTION]: 1 !== 2":     "AssertionError",
		"Assert.Equal() Failure: Expected 1":          "",
		"Then the result is 5: AssertionError [x]: a": "",
		"no colon": "",
	} {
		if got, _ := SplitException(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestParseTime(t *testing.T) {
	for _, s := range []string{"2015-10-19 02:12:28Z", "2021-06-28T20:23:41.4594179Z", "2021-04-20T08:31:33.0390097+02:00", "2024-01-02 03:04:05"} {
		if _, ok := ParseTime(s); !ok {
			t.Errorf("%q not read", s)
		}
	}
	if _, ok := ParseTime("0001-01-01 00:00:00Z"); ok {
		t.Error("year 1 is no time")
	}
}
