package widget

import (
	"context"
	"fmt"
	"time"
)

// flakyRow is a row of ibutsu_flaky_tests (migration 00011, kept by
// package flaky).
type flakyRow struct {
	ID         string    `gorm:"column:id"`
	ProjectID  string    `gorm:"column:project_id"`
	TestID     string    `gorm:"column:test_id"`
	Component  string    `gorm:"column:component"`
	Env        string    `gorm:"column:env"`
	Job        string    `gorm:"column:job"`
	Score      float64   `gorm:"column:score"`
	FlipRate   float64   `gorm:"column:flip_rate"`
	Flips      int       `gorm:"column:flips"`
	Retries    int       `gorm:"column:retries"`
	Runs       int       `gorm:"column:runs"`
	FirstFlake time.Time `gorm:"column:first_flake"`
	LastFlake  time.Time `gorm:"column:last_flake"`
}

// flakyTests reads the highest-scored flaky tests matching w (index
// project_id, score, id) and how many match.
func (q store) flakyTests(ctx context.Context, w where, limit int) ([]flakyRow, int64, error) {
	var total int64
	cond := trimWhere(w.sql())
	if err := q.db.Conn(ctx).Table("ibutsu_flaky_tests").Where(cond, w.args...).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count flaky tests: %w", err)
	}
	var rows []flakyRow
	err := q.db.Conn(ctx).Table("ibutsu_flaky_tests").Where(cond, w.args...).Order("score DESC, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list flaky tests: %w", err)
	}
	return rows, total, nil
}
