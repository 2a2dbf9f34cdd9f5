package filter

import (
	"errors"
	"testing"
)

func TestHasBackReference(t *testing.T) {
	for p, want := range map[string]bool{
		`^(.*)\1$`: true, `(a)(b)\2`: true, `x\9`: true, `[\1]`: true,
		`\\1`: false, `a\\\1`: true, `\d+\.\w`: false, `\0`: false, `1\`: false, ``: false, `^test_.*login(`: false,
	} {
		if got := hasBackReference(p); got != want {
			t.Errorf("hasBackReference(%q) = %v, want %v", p, got, want)
		}
	}
	_, err := pgDialect{}.regex(frag{}, `^(.*)(.*)\1\2$`)
	if !errors.Is(err, errBackReference) {
		t.Fatalf("PostgreSQL dialect accepted a back-reference: %v", err)
	}
}
