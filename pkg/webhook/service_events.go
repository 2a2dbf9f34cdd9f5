package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// EmitRunFinished raises run.finished for a run (once per run: the event
// id is the run's). Call it, in the transaction that marks the run
// finished if there is one, when a run is finished; it lists the run's
// top new failures.
func (s *Service) EmitRunFinished(ctx context.Context, runID uuid.UUID) error {
	env, err := s.runEnvelope(ctx, EventRunFinished, runID)
	if err != nil || env == nil {
		return err
	}
	env.ID = EventRunFinished + ":" + runID.String()
	if env.Failures, err = s.store.newFailures(ctx, runID, env.Project.ID, topFailures); err != nil {
		return err
	}
	return s.emit(ctx, env)
}

// RunSummarized raises run.new_failures for the run's fingerprints the
// project never had before and that no earlier event of the run
// announced. The run summary task calls it after each recomputation; the
// check costs one query when nobody subscribed.
func (s *Service) RunSummarized(ctx context.Context, runID uuid.UUID) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.store.run(ctx, runID)
		if err != nil || r == nil || r.ProjectID == nil {
			return err
		}
		if ok, err := s.anyone(ctx, *r.ProjectID, EventRunNewFailures); err != nil || !ok {
			return err
		}
		fs, err := s.store.newFailures(ctx, runID, *r.ProjectID, 1000)
		if err != nil || len(fs) == 0 {
			return err
		}
		fresh, err := s.store.announce(ctx, runID, fs)
		if err != nil || len(fresh) == 0 {
			return err
		}
		env, err := s.runEnvelope(ctx, EventRunNewFailures, runID)
		if err != nil || env == nil {
			return err
		}
		env.Failures = fresh
		env.ID = EventRunNewFailures + ":" + runID.String() + ":" + digest(fresh)
		return s.emit(ctx, env)
	})
}

// anyone tells whether an enabled subscription of the project wants typ.
func (s *Service) anyone(ctx context.Context, projectID uuid.UUID, typ string) (bool, error) {
	subs, err := s.store.enabled(ctx, projectID)
	if err != nil {
		return false, err
	}
	for _, sub := range subs {
		if slices.Contains(sub.EventList(), typ) {
			return true, nil
		}
	}
	return false, nil
}

// digest names a set of fingerprints.
func digest(fs []Failure) string {
	keys := make([]string, 0, len(fs))
	for _, f := range fs {
		keys = append(keys, f.Fingerprint)
	}
	sort.Strings(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return hex.EncodeToString(sum[:8])
}

// runEnvelope starts an event about a run (nil: the run is gone or has no
// project).
func (s *Service) runEnvelope(ctx context.Context, typ string, runID uuid.UUID) (*Envelope, error) {
	r, err := s.store.run(ctx, runID)
	if err != nil || r == nil || r.ProjectID == nil {
		return nil, err
	}
	p, err := s.store.ByID(ctx, *r.ProjectID)
	if errors.Is(err, project.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Envelope{Type: typ, Created: s.now(), Project: projectRef(p), Run: runInfo(r, s.base)}, nil
}

// ImportEvent is what the importer tells when an import ends.
type ImportEvent struct {
	ImportID  uuid.UUID
	ProjectID *uuid.UUID // the project the upload named, if any
	RunID     *uuid.UUID // the run it wrote (done imports)
	Filename  string
	Failed    bool
	Error     string
}

// ImportSettled raises import.done or import.failed, and for a done
// import the run's new failures. The project is the run's, else the one
// the upload named; an import without either raises nothing.
func (s *Service) ImportSettled(ctx context.Context, ev ImportEvent) error {
	typ, status := EventImportDone, "done"
	if ev.Failed {
		typ, status = EventImportFailed, "error"
	}
	projectID := ev.ProjectID
	var env *Envelope
	if ev.RunID != nil {
		var err error
		if env, err = s.runEnvelope(ctx, typ, *ev.RunID); err != nil {
			return err
		}
		if env != nil {
			projectID = &env.Project.ID
		}
	}
	if projectID == nil {
		return nil
	}
	if env == nil {
		p, err := s.store.ByID(ctx, *projectID)
		if errors.Is(err, project.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		env = &Envelope{Type: typ, Created: s.now(), Project: projectRef(p)}
	}
	env.ID = typ + ":" + ev.ImportID.String()
	env.Import = &ImportInfo{ID: ev.ImportID, Filename: ev.Filename, Status: status, RunID: ev.RunID, Error: trim(ev.Error)}
	if err := s.emit(ctx, env); err != nil {
		return err
	}
	if !ev.Failed && ev.RunID != nil {
		return s.RunSummarized(ctx, *ev.RunID)
	}
	return nil
}

// FlakyTest describes a test that turned flaky.
type FlakyTest struct {
	ProjectID uuid.UUID
	TestID    string
	// Reason says why it is flaky, for people ("passed 3 and failed 2 of
	// the last 5 runs").
	Reason string
	Score  float64
	// Since is when it turned flaky; the event id is the test's and the
	// day's, so one test raises at most one event a day.
	Since time.Time
}

// EmitTestFlaky raises test.flaky (the flaky detection calls it).
func (s *Service) EmitTestFlaky(ctx context.Context, t FlakyTest) error {
	p, err := s.store.ByID(ctx, t.ProjectID)
	if errors.Is(err, project.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	since := t.Since
	if since.IsZero() {
		since = s.now()
	}
	link := ""
	if s.base != "" {
		link = fmt.Sprintf("%s/project/%s/results?test_id[eq]=%s", s.base, p.ID, url.QueryEscape(t.TestID))
	}
	env := &Envelope{ID: fmt.Sprintf("%s:%s:%s:%s", EventTestFlaky, p.ID, t.TestID, since.UTC().Format("2006-01-02")),
		Type: EventTestFlaky, Created: s.now(), Project: projectRef(p), Test: &TestInfo{TestID: t.TestID, Reason: t.Reason, Score: t.Score, URL: link}}
	return s.emit(ctx, env)
}
