// Package flakylock holds the lock that orders the writers of a project's
// flaky tests and evidence (pkg/flaky) against the deleters of the
// project's results (pkg/maintenance's retention), apart from pkg/flaky so
// that a deleter need not import the feature.
//
// Evidence rows cite results (a foreign key, ON DELETE CASCADE), and a
// refresh deletes a flaky test's old evidence before it writes the new:
// it locks evidence rows, then results (the new rows' key checks). A
// delete of results locks the results, then the evidence rows its cascade
// removes. Run concurrently the two orders deadlocked (issue #21), so a
// deleter takes the lock of every project whose results it deletes before
// it deletes any, and a refresh writes evidence only under its project's.
// The lock is taken after any run row lock and never before one: a run's
// refresh holds its run FOR KEY SHARE from its start, and the run prune
// locks its runs FOR UPDATE first.
package flakylock

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Projects takes, on PostgreSQL, the transaction advisory lock of each
// project, in the order of their keys, so that two deleters never wait on
// each other in turn. SQLite serialises its writers anyway.
func Projects(ctx context.Context, d *db.DB, ids []uuid.UUID) error {
	if d.Dialect != db.Postgres {
		return nil
	}
	keys := make([]int64, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, key(id))
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if err := d.Conn(ctx).Exec("SELECT pg_advisory_xact_lock(?)", k).Error; err != nil {
			return fmt.Errorf("lock flaky tests: %w", err)
		}
	}
	return nil
}

// key is a project's lock key: the first 64 bits of its id.
func key(id uuid.UUID) int64 {
	return int64(binary.BigEndian.Uint64(id[:8])) //nolint:gosec // a lock key, any 64 bits will do
}
