package maintenance

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/flaky/flakylock"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// lockRuns locks, on PostgreSQL, the rows of the runs a prune deletes, FOR
// UPDATE and in the order of their ids, before the prune deletes anything.
// A run's flaky refresh holds its run FOR KEY SHARE from its start and
// then writes evidence citing the run's results; a prune that deleted the
// results first and then waited for the run deadlocked with it (issue
// #21). Taken first, the run's lock makes the prune wait for the refresh
// or the refresh for the prune, whichever came second.
func (st store) lockRuns(ctx context.Context, ids []uuid.UUID) error {
	if st.db.Dialect != db.Postgres {
		return nil
	}
	var got []uuid.UUID
	if err := st.db.Conn(ctx).Raw("SELECT id FROM runs WHERE id IN ? ORDER BY id FOR UPDATE", ids).Scan(&got).Error; err != nil {
		return fmt.Errorf("prune: lock runs: %w", err)
	}
	return nil
}

// lockFlaky takes, on PostgreSQL, the flaky lock (flakylock) of every
// project whose results a prune deletes, which projects selects (ids
// bound to its one placeholder), before the prune deletes any: the flaky
// evidence of a project cites its results, and it is written under that
// lock.
func (st store) lockFlaky(ctx context.Context, projects string, ids []uuid.UUID) error {
	if st.db.Dialect != db.Postgres {
		return nil
	}
	var pids []uuid.UUID
	if err := st.db.Conn(ctx).Raw(projects, ids).Scan(&pids).Error; err != nil {
		return fmt.Errorf("prune: projects of the results: %w", err)
	}
	if err := flakylock.Projects(ctx, st.db, pids); err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	return nil
}
