// Package cluster serves a run's failure clusters: its failed and errored
// results grouped by fingerprint (package fingerprint), each marked new or
// known in the run's project with what people classified it as before.
package cluster

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// Bounds of one answer: a run with 10,000 failures in one cluster still
// answers in one small response.
const (
	MaxClusters    = 500
	MaxTestIDs     = 100
	maxMessageRune = 500
)

// Runs is what the service needs of package run: a run loaded under the
// access rule of GET /api/run/{id}.
type Runs interface {
	Readable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Run, error)
}

var _ Runs = (*run.Service)(nil)

// Service answers cluster questions.
type Service struct {
	runs  Runs
	store store
}

// NewService builds the service.
func NewService(d *db.DB, runs Runs) *Service {
	return &Service{runs: runs, store: store{db: d}}
}

// RunClusters groups the failures of run id for u, who must be allowed to
// read the run (the same 404/403 as GET /api/run/{id}).
func (s *Service) RunClusters(ctx context.Context, u *model.User, id uuid.UUID) (*View, error) {
	r, err := s.runs.Readable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.runClusters(ctx, id, MaxClusters+1)
	if err != nil {
		return nil, err
	}
	v := &View{RunID: id.String(), Clusters: []EntryView{}}
	if len(rows) > MaxClusters {
		rows, v.Truncated = rows[:MaxClusters], true
	}
	if len(rows) == 0 {
		return v, nil
	}
	byFP := make(map[string]*EntryView, len(rows))
	v.Clusters = make([]EntryView, len(rows))
	for i, c := range rows {
		v.Failures += c.N
		v.Clusters[i] = EntryView{Fingerprint: c.Fingerprint, Exception: c.Exception, Normalised: c.Normalised,
			Count: c.N, TestIDs: []string{}, ResultIDs: []string{}, Status: "new", Classified: map[string]int{}}
		byFP[c.Fingerprint] = &v.Clusters[i]
	}
	if v.Truncated {
		// The count covers every failure, not only the listed clusters.
		all, err := s.store.runClusters(ctx, id, 1<<30)
		if err != nil {
			return nil, err
		}
		v.Failures = 0
		for _, c := range all {
			v.Failures += c.N
		}
	}
	if err := s.addMembers(ctx, id, byFP); err != nil {
		return nil, err
	}
	if err := s.addKnown(ctx, r, byFP); err != nil {
		return nil, err
	}
	if err := s.addSuggestions(ctx, id, byFP); err != nil {
		return nil, err
	}
	return v, nil
}

// addSuggestions counts how this run's results of each cluster are
// classified and suggests the known classification where not all carry it.
func (s *Service) addSuggestions(ctx context.Context, runID uuid.UUID, byFP map[string]*EntryView) error {
	rows, err := s.store.runClassified(ctx, runID)
	if err != nil {
		return err
	}
	for _, k := range rows {
		if c := byFP[k.Fingerprint]; c != nil {
			c.Classified[k.Classification] += k.N
		}
	}
	for _, c := range byFP {
		if c.Known != nil && c.Known.Classification != nil && c.Classified[*c.Known.Classification] < c.Count {
			c.Suggested = c.Known.Classification
		}
	}
	return nil
}

// addMembers fills each cluster's test ids and its example (the first
// result in test id order) with its message.
func (s *Service) addMembers(ctx context.Context, runID uuid.UUID, byFP map[string]*EntryView) error {
	ms, err := s.store.members(ctx, runID, MaxTestIDs)
	if err != nil {
		return err
	}
	var examples []uuid.UUID
	for _, m := range ms {
		c := byFP[m.Fingerprint]
		if c == nil {
			continue
		}
		if len(c.ResultIDs) == 0 {
			c.Example = ExampleView{ID: m.ResultID.String(), TestID: m.TestID}
			examples = append(examples, m.ResultID)
		}
		c.ResultIDs = append(c.ResultIDs, m.ResultID.String())
		c.TestIDs = append(c.TestIDs, model.Deref(m.TestID))
	}
	if len(examples) == 0 {
		return nil
	}
	msgs, err := s.store.messages(ctx, examples)
	if err != nil {
		return err
	}
	for _, c := range byFP {
		id, _ := uuid.Parse(c.Example.ID)
		if m, ok := msgs[id]; ok {
			m = firstLine(m)
			c.Example.Message = &m
		}
	}
	return nil
}

// addKnown marks the clusters the project had before the run as known,
// with when, how often and how people classified them.
func (s *Service) addKnown(ctx context.Context, r *model.Run, byFP map[string]*EntryView) error {
	seen, err := s.store.seenBefore(ctx, r.ID, r.ProjectID)
	if err != nil {
		return err
	}
	for _, k := range seen {
		c := byFP[k.Fingerprint]
		if c == nil {
			continue
		}
		first, err := parseTime(k.First)
		if err != nil {
			return err
		}
		last, err := parseTime(k.Last)
		if err != nil {
			return err
		}
		c.Status = "known"
		c.Known = &KnownView{FirstSeen: model.FormatTime(first), LastSeen: model.FormatTime(last), Runs: k.Runs,
			Classifications: map[string]int{}}
	}
	cls, err := s.store.classifications(ctx, r.ID, r.ProjectID)
	if err != nil {
		return err
	}
	for _, k := range cls {
		if c := byFP[k.Fingerprint]; c != nil && c.Known != nil {
			c.Known.Classifications[k.Classification] += k.N
		}
	}
	for _, c := range byFP {
		if c.Known != nil {
			c.Known.Classification = mostCommon(c.Known.Classifications)
		}
	}
	return nil
}

// mostCommon is the classification given most often; ties go to the
// alphabetically first, so the answer is stable.
func mostCommon(counts map[string]int) *string {
	best, _ := fingerprint.MostCommon(counts)
	if best == "" {
		return nil
	}
	return &best
}

// firstLine is a message's first non-blank line without pytest's "E"
// marker, bounded.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "E "); ok {
			l = strings.TrimSpace(rest)
		}
		if l != "" {
			if rs := []rune(l); len(rs) > maxMessageRune {
				l = string(rs[:maxMessageRune]) + "…"
			}
			return l
		}
	}
	return ""
}
