package result

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// MaxBulkIDs is the most results one POST /results/bulk-update may change.
const MaxBulkIDs = 500

// BulkUpdate deep-merges md into the metadata of every result in ids, as
// PUT /result/{id} does (docs/api-compatibility.md#update-merge-semantics), and re-derives env and component.
// It is all or nothing: an unknown id is a 404 and a result of a project
// the user cannot access a 403, and then nothing is changed. The results
// come back in the order of ids.
func (s *Service) BulkUpdate(ctx context.Context, u *model.User, ids []uuid.UUID, md map[string]any) ([]model.Result, error) {
	md = model.FlattenUserProperties(md)
	var out []model.Result
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		rows, err := s.store.lockResults(ctx, ids)
		if err != nil {
			return err
		}
		byID := make(map[uuid.UUID]*model.Result, len(rows))
		for i := range rows {
			byID[rows[i].ID] = &rows[i]
		}
		checked := map[uuid.UUID]bool{}
		out = make([]model.Result, 0, len(ids))
		for _, id := range ids {
			r, ok := byID[id]
			if !ok {
				return apperr.NotFound(fmt.Sprintf("Result %s not found", id))
			}
			if err := s.checkWrite(ctx, u, r, checked); err != nil {
				return err
			}
			out = append(out, *r)
		}
		now := time.Now()
		var history []fingerprint.HistoryRow
		var reclassified []uuid.UUID
		for i := range out {
			r := &out[i]
			oldClass := fingerprint.Classification(r.Data)
			r.Data = model.DeepMerge(r.Data, md)
			r.Env, r.Component = model.MetaString(r.Data, "env"), model.MetaString(r.Data, "component")
			if err := s.store.saveMetadata(ctx, r); err != nil {
				return err
			}
			if fingerprint.Touches(md) {
				if err := fingerprint.Refresh(ctx, s.db, r); err != nil {
					return err
				}
			}
			if h, changed := fingerprint.Change(r.ID, oldClass, fingerprint.Classification(r.Data), u, now); changed {
				history = append(history, h)
				reclassified = append(reclassified, r.ID)
			}
		}
		if !fingerprint.Touches(md) {
			if err := fingerprint.SyncClasses(ctx, s.db, reclassified); err != nil {
				return err
			}
		}
		return fingerprint.RecordChanges(ctx, s.db, history)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkWrite is PUT's access rule for one result (403 without access to
// its project; only superadmins may change project-less results), with the
// projects already allowed remembered in checked.
func (s *Service) checkWrite(ctx context.Context, u *model.User, r *model.Result, checked map[uuid.UUID]bool) error {
	if r.ProjectID == nil {
		if u.IsSuperadmin {
			return nil
		}
		return apperr.Forbidden()
	}
	if checked[*r.ProjectID] {
		return nil
	}
	if err := apperr.ForbiddenUnless(s.projects.CanAccess(ctx, u, *r.ProjectID)); err != nil {
		return err
	}
	checked[*r.ProjectID] = true
	return nil
}
