package httpx

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// TestReadFormField keeps the answers both upload routes give for a form
// field: its value within the cap, a 413 in the route's style past it, the
// field checks, and a read failure through the route's own mapping.
func TestReadFormField(t *testing.T) {
	mapped := errors.New("mapped")
	readFailed := func(error) error { return mapped }

	v, err := ReadFormField(strings.NewReader("abc"), "note", 3, apperr.New, readFailed)
	if err != nil || v != "abc" {
		t.Fatalf("within the cap: %q, %v", v, err)
	}

	for _, answer := range []func(int, string, ...any) *apperr.Error{apperr.New, apperr.Problem} {
		_, err = ReadFormField(strings.NewReader("abcd"), "note", 3, answer, readFailed)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Status != http.StatusRequestEntityTooLarge || ae.Message != "Form field note is too large" ||
			ae.Problem != answer(0, "").Problem {
			t.Fatalf("past the cap: %#v", err)
		}
	}

	_, err = ReadFormField(strings.NewReader("a\x00b"), "note", 10, apperr.New, readFailed)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
		t.Fatalf("NUL byte: %#v", err)
	}

	_, err = ReadFormField(iotest.ErrReader(errors.New("reset")), "note", 10, apperr.New, readFailed)
	if !errors.Is(err, mapped) {
		t.Fatalf("read failure: %v, want the route's mapping", err)
	}
}
