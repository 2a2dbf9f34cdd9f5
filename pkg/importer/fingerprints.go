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
	return fingerprint.Record(ctx, d, pointers(rows))
}

// classifyByRule applies the projects' automatic classification rule to a
// batch of results about to be inserted (docs/triage.md); the audit rows
// it returns are recorded once the results exist.
func classifyByRule(ctx context.Context, d *db.DB, rows []model.Result) ([]fingerprint.HistoryRow, error) {
	return fingerprint.Prepare(ctx, d, pointers(rows))
}

func pointers(rows []model.Result) []*model.Result {
	ptrs := make([]*model.Result, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	return ptrs
}
