package testdb

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// ReadRule is the read rule of GET /api/<What>/{id} as a service's
// Readable applies it for Caller: the row Own is read, an unknown id is
// NotFound, the row Foreign (another project's) is forbidden.
type ReadRule[T any] struct {
	What         string
	Read         func(context.Context, *model.User, uuid.UUID) (*T, error)
	ID           func(*T) uuid.UUID
	Caller       *model.User
	Own, Foreign uuid.UUID
	NotFound     error
}

// Check checks the three answers.
func (r ReadRule[T]) Check(ctx context.Context, t testing.TB) {
	t.Helper()
	if row, err := r.Read(ctx, r.Caller, r.Own); err != nil || r.ID(row) != r.Own {
		t.Errorf("own %s: %v, %v", r.What, row, err)
	}
	if _, err := r.Read(ctx, r.Caller, uuid.New()); !errors.Is(err, r.NotFound) {
		t.Errorf("unknown %s: %v, want ErrNotFound", r.What, err)
	}
	_, err := r.Read(ctx, r.Caller, r.Foreign)
	if apperr.KindOf(err) != apperr.KindForbidden {
		t.Errorf("foreign %s: %v, want forbidden", r.What, err)
	}
}
