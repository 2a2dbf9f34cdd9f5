package result

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

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
	if _, ok := body["cluster"]; ok {
		h.bulkUpdateCluster(c, body)
		return
	}
	req, err := decodeBulkRequest(body)
	if err != nil {
		h.fail(c, err)
		return
	}
	rs, err := h.svc.BulkUpdate(ctx, auth.UserFrom(ctx), req.IDs, req.Metadata)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, BulkUpdateResponse{Updated: len(rs), Results: Views(rs)})
}

// decodeBulkRequest checks {"ids": [...], "metadata": {...}}: 1 to
// MaxBulkIDs UUID strings (duplicates collapse) and a non-empty metadata
// object that does not move results to another project. Other keys are
// ignored.
func decodeBulkRequest(body map[string]any) (BulkUpdateRequest, error) {
	raw, ok := body["ids"].([]any)
	if !ok || len(raw) == 0 {
		return BulkUpdateRequest{}, apperr.BadRequest("Bad request, ids must be a non-empty array of result ids")
	}
	seen := make(map[uuid.UUID]bool, len(raw))
	ids := make([]uuid.UUID, 0, len(raw))
	for _, v := range raw {
		s, _ := v.(string)
		id, ok := httpx.ParseUUID(s)
		if !ok {
			return BulkUpdateRequest{}, apperr.BadRequest("ID: %v is not a valid UUID", v)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) > MaxBulkIDs {
		return BulkUpdateRequest{}, apperr.BadRequest("Bad request, cannot update more than %d results at a time", MaxBulkIDs)
	}
	md, err := decodeBulkMetadata(body)
	return BulkUpdateRequest{IDs: ids, Metadata: md}, err
}

// decodeBulkMetadata checks a bulk update's metadata: a non-empty object
// that does not move results to another project.
func decodeBulkMetadata(body map[string]any) (map[string]any, error) {
	md, ok := body["metadata"].(map[string]any)
	if !ok || len(md) == 0 {
		return nil, apperr.BadRequest("Bad request, can only update metadata")
	}
	if _, ok := md["project"]; ok {
		return nil, apperr.BadRequest("Bad request, metadata.project cannot be changed in bulk")
	}
	return md, nil
}
