package result

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// bulkUpdateCluster serves POST /results/bulk-update with
// {"cluster": {"run_id": ..., "fingerprint": ...}, "metadata": {...}} in
// place of ids: the metadata (a classification, typically) goes to every
// result of that failure cluster of the run (docs/triage.md). The answer
// is the same as for ids.
func (h *Handler) bulkUpdateCluster(c *gin.Context, body map[string]any) {
	ctx := c.Request.Context()
	req, err := decodeClusterBulkRequest(body)
	if err != nil {
		h.fail(c, err)
		return
	}
	rs, err := h.svc.BulkUpdateCluster(ctx, auth.UserFrom(ctx), req)
	var views []View
	if err == nil {
		views, err = h.svc.Render(ctx, rs)
	}
	httpx.Reply(c, h.fail, http.StatusOK, views, err, func(vs []View) BulkUpdateResponse {
		return BulkUpdateResponse{Updated: len(vs), Results: vs}
	})
}

// decodeClusterBulkRequest checks the cluster form of a bulk update: no
// ids beside it, a run UUID, a fingerprint and the usual metadata.
func decodeClusterBulkRequest(body map[string]any) (ClusterBulkRequest, error) {
	for _, other := range []string{"ids", "filter"} {
		if _, ok := body[other]; ok {
			return ClusterBulkRequest{}, apperr.BadRequest("Bad request, give one of ids, filter or cluster")
		}
	}
	cl, ok := body["cluster"].(map[string]any)
	if !ok {
		return ClusterBulkRequest{}, apperr.BadRequest("Bad request, cluster must be an object with run_id and fingerprint")
	}
	if err := clusterKeys.RejectUnknown(cl); err != nil {
		return ClusterBulkRequest{}, err
	}
	s, _ := cl["run_id"].(string)
	runID, ok := httpx.ParseUUID(s)
	if !ok {
		return ClusterBulkRequest{}, apperr.BadRequest("Bad request, cluster.run_id must be a run id")
	}
	fp, _ := cl["fingerprint"].(string)
	if fp == "" || len(fp) > 64 {
		return ClusterBulkRequest{}, apperr.BadRequest("Bad request, cluster.fingerprint must be a fingerprint")
	}
	md, err := decodeBulkMetadata(body)
	return ClusterBulkRequest{RunID: runID, Fingerprint: fp, Metadata: md}, err
}
