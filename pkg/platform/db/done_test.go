package db

import (
	"errors"
	"testing"

	"gorm.io/gorm"
)

// TestDone keeps Done's two answers: nil after a statement that succeeded,
// and the statement's error wrapped under the caller's words otherwise.
func TestDone(t *testing.T) {
	if err := Done(&gorm.DB{}, "create token"); err != nil {
		t.Fatalf("Done of a successful statement = %v, want nil", err)
	}
	cause := errors.New("duplicate key")
	err := Done(&gorm.DB{Error: cause}, "create token")
	if !errors.Is(err, cause) || err.Error() != "create token: duplicate key" {
		t.Fatalf("Done = %v, want %q wrapping the cause", err, "create token: duplicate key")
	}
}
