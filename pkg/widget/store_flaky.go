package widget

import (
	"context"
	"fmt"

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
