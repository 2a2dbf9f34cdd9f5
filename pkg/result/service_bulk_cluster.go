package result

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// MaxClusterBulk is the largest cluster one bulk update may classify: a
// run's biggest cluster, whole, in one transaction.
const MaxClusterBulk = 10000

// ClusterBulkRequest names a failure cluster of a run (docs/triage.md) and
// the metadata to merge into each of its results.
type ClusterBulkRequest struct {
	RunID       uuid.UUID
	Fingerprint string
	Metadata    map[string]any
}

// BulkUpdateCluster merges req.Metadata into every result of the cluster,
// with BulkUpdate's rules: all or nothing, 403 when any result is of a
// project u cannot write. An unknown or empty cluster is a 404. The run's
// project is checked first, so a run u cannot write is a 403 whatever the
// fingerprint: the answer never tells which failures another project has.
func (s *Service) BulkUpdateCluster(ctx context.Context, u *model.User, req ClusterBulkRequest) ([]model.Result, error) {
	runProject, found, err := s.projects.RunProject(ctx, req.RunID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, apperr.NotFound("Cluster not found")
	}
	if err := s.projects.RequireAccess(ctx, u, runProject); err != nil {
		return nil, err
	}
	ids, err := fingerprint.ClusterResults(ctx, s.db, req.RunID, req.Fingerprint, MaxClusterBulk)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.NotFound("Cluster not found")
	}
	if len(ids) > MaxClusterBulk {
		return nil, apperr.BadRequest("Bad request, cannot update more than %d results at a time", MaxClusterBulk)
	}
	return s.BulkUpdate(ctx, u, ids, req.Metadata)
}
