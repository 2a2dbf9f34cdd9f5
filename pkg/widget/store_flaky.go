package widget

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/flaky"
)

// flakyTests reads the highest-scored flaky tests matching w (index
// project_id, score, id) and how many match, as package flaky's rows (it
// keeps ibutsu_flaky_tests, migration 00011).
func (q store) flakyTests(ctx context.Context, w where, limit int) ([]flaky.TestRow, int64, error) {
	var total int64
	cond := trimWhere(w.sql())
	if err := q.db.Conn(ctx).Table("ibutsu_flaky_tests").Where(cond, w.args...).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count flaky tests: %w", err)
	}
	var rows []flaky.TestRow
	err := q.db.Conn(ctx).Table("ibutsu_flaky_tests").Where(cond, w.args...).Order("score DESC, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list flaky tests: %w", err)
	}
	return rows, total, nil
}

// flakyTestIDsChunk bounds the test ids of one query (SQLite's and
// PostgreSQL's limits on bound parameters).
const flakyTestIDsChunk = 1000

// flakyTestIDs returns which of testIDs are flaky tests of one of projects
// (with any component, env or job), from ibutsu_flaky_tests.
func (q store) flakyTestIDs(ctx context.Context, projects []uuid.UUID, testIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(projects) == 0 {
		return out, nil
	}
	for start := 0; start < len(testIDs); start += flakyTestIDsChunk {
		chunk := testIDs[start:min(start+flakyTestIDsChunk, len(testIDs))]
		var ids []string
		if err := q.db.Conn(ctx).Table("ibutsu_flaky_tests").Where("project_id IN ? AND test_id IN ?", projects, chunk).
			Distinct("test_id").Pluck("test_id", &ids).Error; err != nil {
			return nil, fmt.Errorf("flaky tests of the compared runs: %w", err)
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}
