package result

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
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
	if err == nil {
		err = bulkKeys.RejectUnknown(body)
	}
	if _, ok := body["cluster"]; err == nil && ok {
		h.bulkUpdateCluster(c, body)
		return
	}
	var req BulkUpdateRequest
	if err == nil {
		req, err = decodeBulkRequest(body)
	}
	if err == nil && req.Filters != nil {
		// "Select all N matching": the update names a filter, not ids.
		n, err := h.svc.BulkUpdateByFilter(ctx, auth.UserFrom(ctx), req.Filters, req.Metadata)
		httpx.Reply(c, h.fail, http.StatusOK, n, err, func(n int) BulkUpdateResponse {
			return BulkUpdateResponse{Updated: n, Results: []View{}}
		})
		return
	}
	var rs []model.Result
	if err == nil {
		rs, err = h.svc.BulkUpdate(ctx, auth.UserFrom(ctx), req.IDs, req.Metadata)
	}
	var views []View
	if err == nil {
		views, err = h.svc.Render(ctx, rs)
	}
	httpx.Reply(c, h.fail, http.StatusOK, views, err, func(vs []View) BulkUpdateResponse {
		return BulkUpdateResponse{Updated: len(vs), Results: vs}
	})
}

// bulkKeys are the keys of a bulk update body (this route is ours, so an
// unknown key is a 400, not ignored); the decoders below check the values.
var bulkKeys = httpx.Schema{"ids": {Kind: httpx.Any}, "filter": {Kind: httpx.Any}, "metadata": {Kind: httpx.Any}, "cluster": {Kind: httpx.Any}}

// clusterKeys are the keys of a bulk update's cluster object.
var clusterKeys = httpx.Schema{"run_id": {Kind: httpx.Any}, "fingerprint": {Kind: httpx.Any}}

// decodeBulkRequest checks {"ids": [...], "metadata": {...}}: 1 to
// MaxBulkIDs UUID strings (duplicates collapse) and a non-empty metadata
// object that does not move results to another project.
func decodeBulkRequest(body map[string]any) (BulkUpdateRequest, error) {
	if _, ok := body["filter"]; ok {
		return decodeBulkFilterRequest(body)
	}
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
	if err != nil {
		return BulkUpdateRequest{}, err
	}
	return BulkUpdateRequest{IDs: ids, Metadata: md}, nil
}

// decodeBulkMetadata checks the metadata of a bulk update: a non-empty
// object that does not move results to another project.
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

// decodeBulkFilterRequest checks the filter mode of the bulk update (this
// server's own field, so upstream's ids contract is untouched):
// {"filter": ["run_id=...", "result*failed;error"], "metadata": {...}},
// the filter strings of GET /result (split on commas the same way), at
// least one, and not together with ids.
func decodeBulkFilterRequest(body map[string]any) (BulkUpdateRequest, error) {
	if _, ok := body["ids"]; ok {
		return BulkUpdateRequest{}, apperr.BadRequest("Bad request, send either ids or filter, not both")
	}
	raw, ok := body["filter"].([]any)
	if !ok {
		return BulkUpdateRequest{}, apperr.BadRequest("Bad request, filter must be an array of filter strings")
	}
	strs := make([]string, 0, len(raw))
	for _, v := range raw {
		s, ok := v.(string)
		if !ok {
			return BulkUpdateRequest{}, apperr.BadRequest("Bad request, filter must be an array of filter strings")
		}
		strs = append(strs, s)
	}
	filters := filter.Split(strs)
	if len(filters) == 0 {
		return BulkUpdateRequest{}, apperr.BadRequest("Bad request, filter must hold at least one filter string")
	}
	md, err := decodeBulkMetadata(body)
	if err != nil {
		return BulkUpdateRequest{}, err
	}
	return BulkUpdateRequest{Filters: filters, Metadata: md}, nil
}
