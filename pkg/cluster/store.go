package cluster

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// store reads ibutsu_result_fingerprints (migration 00009) for a run's
// clusters. Every query is bounded by a run (index run_id, fingerprint) or
// by a project and fingerprint (index project_id, fingerprint, start_time,
// run_id).
type store struct {
	db *db.DB
}

// clusterRow is one fingerprint of a run with its count.
type clusterRow struct {
	Fingerprint string
	Exception   string
	Normalised  string
	N           int
}

// runClusters groups a run's fingerprints, largest first.
func (s store) runClusters(ctx context.Context, runID uuid.UUID, limit int) ([]clusterRow, error) {
	var out []clusterRow
	err := s.db.Conn(ctx).Raw(`SELECT fingerprint, MIN(exception) AS exception, MIN(normalised) AS normalised,
		COUNT(*) AS n
		FROM ibutsu_result_fingerprints WHERE run_id = ?
		GROUP BY fingerprint ORDER BY n DESC, fingerprint LIMIT ?`, runID, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("run clusters: %w", err)
	}
	return out, nil
}

// memberRow is one result of a cluster.
type memberRow struct {
	Fingerprint string
	ResultID    uuid.UUID
	TestID      *string
}

// members lists up to perCluster results of each of the run's clusters in
// test id order.
func (s store) members(ctx context.Context, runID uuid.UUID, perCluster int) ([]memberRow, error) {
	var out []memberRow
	err := s.db.Conn(ctx).Raw(`SELECT fingerprint, result_id, test_id FROM (
		SELECT f.fingerprint, f.result_id, r.test_id,
			ROW_NUMBER() OVER (PARTITION BY f.fingerprint ORDER BY r.test_id, f.result_id) AS k
		FROM ibutsu_result_fingerprints f JOIN results r ON r.id = f.result_id
		WHERE f.run_id = ?) m WHERE k <= ? ORDER BY fingerprint, k`, runID, perCluster).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("cluster members: %w", err)
	}
	return out, nil
}

// messages reads the short_tb of the results in ids.
func (s store) messages(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	var rows []model.Result
	if err := s.db.Conn(ctx).Select("id, data").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("cluster examples: %w", err)
	}
	out := make(map[uuid.UUID]string, len(rows))
	for _, r := range rows {
		if s, ok := r.Data["short_tb"].(string); ok {
			out[r.ID] = s
		}
	}
	return out, nil
}

// seenRow is what the project knew of a fingerprint before a run.
type seenRow struct {
	Fingerprint string
	// First and Last are text: database/sql renders PostgreSQL's times
	// as RFC 3339 and SQLite's aggregates are the stored text already.
	First string
	Last  string
	Runs  int
}

// projectScope is the WHERE part naming a run's project (or none).
func projectScope(project *uuid.UUID) (string, []any) {
	if project == nil {
		return "e.project_id IS NULL", nil
	}
	return "e.project_id = ?", []any{*project}
}

// seenBefore tells, for each of the run's fingerprints, when the project
// first and last had it before the run did and in how many runs.
func (s store) seenBefore(ctx context.Context, runID uuid.UUID, project *uuid.UUID) ([]seenRow, error) {
	scope, args := projectScope(project)
	var out []seenRow
	err := s.db.Conn(ctx).Raw(`SELECT e.fingerprint, MIN(e.start_time) AS first, MAX(e.start_time) AS last,
		COUNT(DISTINCT e.run_id) AS runs
		FROM (SELECT fingerprint, MIN(start_time) AS first FROM ibutsu_result_fingerprints WHERE run_id = ? GROUP BY fingerprint) c
		JOIN ibutsu_result_fingerprints e ON e.fingerprint = c.fingerprint
		WHERE `+scope+` AND e.start_time < c.first AND (e.run_id IS NULL OR e.run_id <> ?)
		GROUP BY e.fingerprint`, append(append([]any{runID}, args...), runID)...).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("fingerprints seen before: %w", err)
	}
	return out, nil
}

// classRow counts one classification of earlier results of a fingerprint.
type classRow struct {
	Fingerprint    string
	Classification string
	N              int
}

// classifications counts the metadata.classification people gave earlier
// results (before the run) of the run's fingerprints.
func (s store) classifications(ctx context.Context, runID uuid.UUID, project *uuid.UUID) ([]classRow, error) {
	scope, args := projectScope(project)
	cls := "r.data->>'classification'"
	if s.db.Dialect == db.SQLite {
		cls = "json_extract(r.data, '$.classification')"
	}
	var out []classRow
	err := s.db.Conn(ctx).Raw(`SELECT e.fingerprint, `+cls+` AS classification, COUNT(*) AS n
		FROM (SELECT fingerprint, MIN(start_time) AS first FROM ibutsu_result_fingerprints WHERE run_id = ? GROUP BY fingerprint) c
		JOIN ibutsu_result_fingerprints e ON e.fingerprint = c.fingerprint
		JOIN results r ON r.id = e.result_id
		WHERE `+scope+` AND e.start_time < c.first AND (e.run_id IS NULL OR e.run_id <> ?) AND `+cls+` IS NOT NULL AND `+cls+` <> ''
		GROUP BY e.fingerprint, `+cls, append(append([]any{runID}, args...), runID)...).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("cluster classifications: %w", err)
	}
	return out, nil
}

// parseTime reads a time seenBefore returned.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// runClassified counts the classifications of the run's fingerprinted
// results, by fingerprint (ibutsu_fingerprint_classifications, migration
// 00013).
func (s store) runClassified(ctx context.Context, runID uuid.UUID) ([]classRow, error) {
	var out []classRow
	err := s.db.Conn(ctx).Raw(`SELECT f.fingerprint, c.classification, COUNT(*) AS n
		FROM ibutsu_result_fingerprints f JOIN ibutsu_fingerprint_classifications c ON c.result_id = f.result_id
		WHERE f.run_id = ? GROUP BY f.fingerprint, c.classification`, runID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("run classifications: %w", err)
	}
	return out, nil
}
