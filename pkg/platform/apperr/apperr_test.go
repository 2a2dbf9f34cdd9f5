package apperr

import (
	"errors"
	"fmt"
	"testing"
)

// KindOf finds the kind through wrapping, and is KindUnspecified for nil
// and for errors that carry none.
func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want Kind
	}{
		{Of(KindForbidden, "no"), KindForbidden},
		{fmt.Errorf("load: %w", Of(KindNotFound, "gone")), KindNotFound},
		{New(418, "teapot"), KindUnspecified},
		{errors.New("plain"), KindUnspecified},
		{nil, KindUnspecified},
	} {
		if got := KindOf(tc.err); got != tc.want {
			t.Errorf("KindOf(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
