package result

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// MaxBulkIDs is the most results one POST /results/bulk-update may change.
const MaxBulkIDs = 500

// BulkUpdateResponse is the answer of POST /results/bulk-update: how many
// results changed and their new state, in the order of the request's ids.
type BulkUpdateResponse struct {
	Updated int    `json:"updated"`
	Results []View `json:"results"`
}

// bulkUpdate serves POST /results/bulk-update (an extension of this server:
// upstream's UI PUTs each result in turn to classify failures).
func (h *Handler) bulkUpdate(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err != nil {
		h.fail(c, err)
		return
	}
	ids, md, err := parseBulkBody(body)
	if err != nil {
		h.fail(c, err)
		return
	}
	rs, err := h.svc.BulkUpdate(ctx, auth.UserFrom(ctx), ids, md)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, BulkUpdateResponse{Updated: len(rs), Results: Views(rs)})
}

// parseBulkBody checks {"ids": [...], "metadata": {...}}: 1 to MaxBulkIDs
// UUID strings (duplicates collapse) and a non-empty metadata object that
// does not move results to another project. Other keys are ignored.
func parseBulkBody(body map[string]any) ([]uuid.UUID, map[string]any, error) {
	raw, ok := body["ids"].([]any)
	if !ok || len(raw) == 0 {
		return nil, nil, apperr.BadRequest("Bad request, ids must be a non-empty array of result ids")
	}
	seen := make(map[uuid.UUID]bool, len(raw))
	ids := make([]uuid.UUID, 0, len(raw))
	for _, v := range raw {
		s, _ := v.(string)
		id, ok := httpx.ParseUUID(s)
		if !ok {
			return nil, nil, apperr.BadRequest("ID: %v is not a valid UUID", v)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) > MaxBulkIDs {
		return nil, nil, apperr.BadRequest("Bad request, cannot update more than %d results at a time", MaxBulkIDs)
	}
	md, ok := body["metadata"].(map[string]any)
	if !ok || len(md) == 0 {
		return nil, nil, apperr.BadRequest("Bad request, can only update metadata")
	}
	if _, ok := md["project"]; ok {
		return nil, nil, apperr.BadRequest("Bad request, metadata.project cannot be changed in bulk")
	}
	return ids, md, nil
}

// BulkUpdate deep-merges md into the metadata of every result in ids, as
// PUT /result/{id} does (docs/api-compatibility.md#update-merge-semantics), and
// re-derives env and component.
// It is all or nothing: an unknown id is a 404 and a result of a project
// the user cannot access a 403, and then nothing is changed. The results
// come back in the order of ids.
func (s *Service) BulkUpdate(ctx context.Context, u *model.User, ids []uuid.UUID, md map[string]any) ([]model.Result, error) {
	md = model.FlattenUserProperties(md)
	var out []model.Result
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var rows []model.Result
		if err := s.lockResults(ctx, ids, &rows); err != nil {
			return fmt.Errorf("load results: %w", err)
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
		for i := range out {
			r := &out[i]
			r.Data = model.DeepMerge(r.Data, md)
			r.Env, r.Component = model.MetaString(r.Data, "env"), model.MetaString(r.Data, "component")
			err := s.db.Conn(ctx).Model(&model.Result{}).Where("id = ?", r.ID).
				Updates(map[string]any{"data": r.Data, "env": r.Env, "component": r.Component}).Error
			if err != nil {
				return fmt.Errorf("bulk update result: %w", err)
			}
		}
		return nil
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
	ok, err := s.projects.CanAccess(ctx, u, *r.ProjectID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Forbidden()
	}
	checked[*r.ProjectID] = true
	return nil
}
