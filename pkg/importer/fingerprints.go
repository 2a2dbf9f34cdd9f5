package importer

import (
	"context"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// recordFingerprints stores the fingerprints of the failures among a batch
// of imported results (docs/triage.md), in the import's transaction.
func recordFingerprints(ctx context.Context, d *db.DB, rows []model.Result) error {
	ptrs := make([]*model.Result, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	return fingerprint.Record(ctx, d, ptrs)
}
