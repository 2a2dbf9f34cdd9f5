package artifact

import (
	"context"
	"fmt"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// TypeObjects is the periodic task that deletes the objects of deleted
// artifacts and reconciles the bucket with ibutsu_artifact_objects.
const TypeObjects = "artifact.objects"

// sweepBatch is how many deleted artifacts' objects one query picks.
const sweepBatch = 500

// Register adds the object task (a nil Objects registers a no-op, so a
// queued task from another configuration finds a handler).
func (o *Objects) Register(reg *queue.Registry) {
	reg.Register(TypeObjects, queue.Report(o != nil, o.Run), queue.MaxRetry(3), queue.Timeout(time.Hour), queue.Retention(24*time.Hour))
}

// Schedule is the object task's periodic entry (config
// schedule.artifact_objects). Without a store it has nothing to do and
// returns at once.
func Schedule() []queue.Periodic {
	return []queue.Periodic{{Name: "artifact-objects", Spec: "@every 15m", Type: TypeObjects}}
}

// Report is what one run of the object task did.
type Report struct {
	// Deleted: objects of deleted artifacts removed.
	Deleted int `json:"deleted"`
	// Orphans: objects with no row, older than the grace period, removed.
	Orphans int `json:"orphans_removed"`
	// Young: objects with no row yet, left for an upload still in flight.
	Young int `json:"orphans_young"`
	// Missing: rows whose object the bucket does not have (reported only).
	Missing    int      `json:"missing"`
	MissingIDs []string `json:"missing_ids,omitempty"`
}

// Run sweeps and reconciles once.
func (o *Objects) Run(ctx context.Context) (Report, error) {
	var rep Report
	if err := o.sweep(ctx, &rep); err != nil {
		return rep, err
	}
	if err := o.reconcile(ctx, &rep); err != nil {
		return rep, err
	}
	if rep.Orphans+rep.Missing > 0 {
		o.log.Warn("artifact objects reconciled", "deleted", rep.Deleted, "orphans_removed", rep.Orphans,
			"missing", rep.Missing, "missing_ids", rep.MissingIDs)
	}
	return rep, nil
}

// sweep deletes the objects whose artifact rows are gone (deleted through
// the API, by retention, by a cascade or by another server).
func (o *Objects) sweep(ctx context.Context, rep *Report) error {
	for {
		rows, err := o.store.orphanRows(ctx, sweepBatch)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := o.forget(ctx, r); err != nil {
				return err
			}
			rep.Deleted++
		}
		if len(rows) < sweepBatch {
			return nil
		}
	}
}

// reconcile walks the bucket's listing and the rows in key order together:
// an object without a row is removed once older than the grace period (an
// upload whose transaction never committed); a row without an object is
// reported.
func (o *Objects) reconcile(ctx context.Context, rep *Report) error {
	var rows []ObjectRow
	after, done := "", false
	next := func() (*ObjectRow, error) {
		if len(rows) == 0 && !done {
			var err error
			if rows, err = o.store.rowsAfter(ctx, after, sweepBatch); err != nil {
				return nil, err
			}
			done = len(rows) < sweepBatch
			if len(rows) > 0 {
				after = rows[len(rows)-1].Key
			}
		}
		if len(rows) == 0 {
			return nil, nil
		}
		return &rows[0], nil
	}
	missing := func(r *ObjectRow) {
		rep.Missing++
		if len(rep.MissingIDs) < 20 {
			rep.MissingIDs = append(rep.MissingIDs, r.ArtifactID.String())
		}
		rows = rows[1:]
	}
	err := o.s.List(ctx, "", func(obj objstore.Object) error {
		for {
			r, err := next()
			if err != nil {
				return err
			}
			if r == nil || r.Key > obj.Key {
				break
			}
			if r.Key == obj.Key {
				rows = rows[1:]
				return nil
			}
			missing(r)
		}
		if time.Since(obj.LastModified) < o.graceAge {
			rep.Young++
			return nil
		}
		if err := o.s.Delete(ctx, obj.Key); err != nil {
			return err
		}
		rep.Orphans++
		return nil
	})
	if err != nil {
		return fmt.Errorf("reconcile artifact objects: %w", err)
	}
	for {
		r, err := next()
		if err != nil || r == nil {
			return err
		}
		missing(r)
	}
}
