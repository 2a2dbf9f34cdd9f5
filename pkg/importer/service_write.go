package importer

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// fileImport is what the import of one report file shares, whatever its
// format (JUnit's importer and the neutral formats' sink): the run being
// written, the one writer its results, artifacts and fingerprints go
// through, the uploader's rights, the project look-ups and the tally of
// the cases the run's summary is counted from.
type fileImport struct {
	s        *Service
	ctx      context.Context
	imp      *model.Import
	form     form
	rights   *rights
	w        *writer
	projects map[string]*uuid.UUID
	run      *model.Run
	cases    run.Counts
}

// newFileImport starts the import of imp's file src.
func (s *Service) newFileImport(ctx context.Context, imp *model.Import, src *content) (*fileImport, error) {
	rt, err := s.rightsOf(ctx, imp)
	if err != nil {
		return nil, err
	}
	return &fileImport{s: s, ctx: ctx, imp: imp, form: formOf(imp), rights: rt, w: s.newWriter(false, src), projects: map[string]*uuid.UUID{}}, nil
}

// project resolves a project name or id, nil when unknown (cached).
func (f *fileImport) project(ref string) (*uuid.UUID, error) {
	if id, ok := f.projects[ref]; ok {
		return id, nil
	}
	if err := f.w.settle(); err != nil {
		return nil, err
	}
	p, err := f.s.projects.Resolve(f.ctx, ref)
	var id *uuid.UUID
	switch {
	case err == nil:
		id = &p.ID
	case !errors.Is(err, project.ErrNotFound):
		return nil, err
	}
	f.projects[ref] = id
	return id, nil
}

// tally counts one imported case (its result and duration) toward the
// run's summary.
func (f *fileImport) tally(result string, d float64) {
	c := &f.cases
	c.Tests++
	c.Duration += d
	switch result {
	case "failed":
		c.Failures++
	case "error":
		c.Errors++
	case "skipped":
		c.Skips++
	case "xfailed":
		c.XFailures++
	case "xpassed":
		c.XPasses++
	}
}

// shortTracebackLimit caps the failure message copied into metadata: the
// whole text is in the traceback artifact.
const shortTracebackLimit = 1000

// placeholderMessage is the message go-junit-report and gotestsum write on
// every failed Go test (the test's output is the element's text): kept as
// the short_tb, every Go failure of an import would be one failure cluster
// (docs/triage.md).
const placeholderMessage = "Failed"

// shortReason is a failure's metadata.short_tb: its message, else the
// start of its text (many reporters leave the message empty, or write
// placeholderMessage, and put everything in the text), bounded; "" when
// both are empty.
func shortReason(message, text string) string {
	msg := strings.TrimSpace(message)
	if body := strings.TrimSpace(text); msg == "" || (msg == placeholderMessage && body != "") {
		msg = body
	}
	if len(msg) > shortTracebackLimit {
		msg = strings.ToValidUTF8(msg[:shortTracebackLimit], "") + "…"
	}
	return msg
}
