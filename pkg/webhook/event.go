package webhook

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Event types a subscription may choose.
const (
	EventRunFinished    = "run.finished"
	EventRunNewFailures = "run.new_failures"
	EventTestFlaky      = "test.flaky"
	EventImportDone     = "import.done"
	EventImportFailed   = "import.failed"
	// EventTest is what "Send test event" sends; it is never subscribed to.
	EventTest = "webhook.test"
)

// Events lists the subscribable event types in the order the UI shows them.
var Events = []string{EventRunFinished, EventRunNewFailures, EventTestFlaky, EventImportDone, EventImportFailed}

// Payload formats.
const (
	FormatJSON  = "json"
	FormatSlack = "slack"
	FormatTeams = "teams"
)

// Formats lists the payload formats.
var Formats = []string{FormatJSON, FormatSlack, FormatTeams}

// topFailures is how many new failures a message lists.
const topFailures = 5

// Envelope is the body of the json format, and what the chat formats are
// rendered from. ID is the event's idempotency key.
type Envelope struct {
	ID       string      `json:"id"`
	Type     string      `json:"type"`
	Created  time.Time   `json:"created"`
	Project  ProjectRef  `json:"project"`
	Run      *RunInfo    `json:"run,omitempty"`
	Import   *ImportInfo `json:"import,omitempty"`
	Test     *TestInfo   `json:"test,omitempty"`
	Failures []Failure   `json:"new_failures,omitempty"`
	Message  string      `json:"message,omitempty"`
}

// ProjectRef names the event's project.
type ProjectRef struct {
	ID    uuid.UUID `json:"id"`
	Name  string    `json:"name"`
	Title string    `json:"title,omitempty"`
}

// RunInfo describes a run in an event.
type RunInfo struct {
	ID        uuid.UUID        `json:"id"`
	Name      string           `json:"name"`
	Component string           `json:"component,omitempty"`
	Env       string           `json:"env,omitempty"`
	StartTime time.Time        `json:"start_time"`
	Duration  float64          `json:"duration"`
	Summary   map[string]int64 `json:"summary"`
	URL       string           `json:"url,omitempty"`
}

// ImportInfo describes an import in an event.
type ImportInfo struct {
	ID       uuid.UUID  `json:"id"`
	Filename string     `json:"filename,omitempty"`
	Status   string     `json:"status"`
	RunID    *uuid.UUID `json:"run_id,omitempty"`
	Error    string     `json:"error,omitempty"`
}

// TestInfo names a test in a test.flaky event.
type TestInfo struct {
	TestID string  `json:"test_id"`
	Reason string  `json:"reason,omitempty"`
	Score  float64 `json:"score,omitempty"`
	URL    string  `json:"url,omitempty"`
}

// summaryKeys are the counts an event carries, from the run's summary.
var summaryKeys = []string{"tests", "passes", "failures", "errors", "skips", "xfailures", "xpasses"}

// runInfo builds the run part of an event; base is the UI address.
func runInfo(r *model.Run, base string) *RunInfo {
	ri := &RunInfo{ID: r.ID, Component: model.Deref(r.Component), Env: model.Deref(r.Env), StartTime: r.StartTime.UTC(), Summary: map[string]int64{}}
	if r.Duration != nil {
		ri.Duration = *r.Duration
	}
	for _, k := range summaryKeys {
		ri.Summary[k] = toInt(r.Summary[k])
	}
	ri.Name = runName(r)
	if base != "" && r.ProjectID != nil {
		ri.URL = fmt.Sprintf("%s/project/%s/runs/%s", base, r.ProjectID, r.ID)
	}
	return ri
}

// runName is a readable name: the Jenkins job and build, else component
// and env, else the run's id.
func runName(r *model.Run) string {
	if j, ok := r.Data["jenkins"].(map[string]any); ok {
		job, _ := j["job_name"].(string)
		if job != "" {
			if b := fmt.Sprint(j["build_number"]); j["build_number"] != nil && b != "" {
				return job + " #" + b
			}
			return job
		}
	}
	parts := []string{}
	for _, s := range []string{model.Deref(r.Component), model.Deref(r.Env)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, " / ") + " (" + r.ID.String()[:8] + ")"
	}
	return "run " + r.ID.String()
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case int64:
		return n
	case int:
		return int64(n)
	case interface{ Int64() (int64, error) }:
		i, _ := n.Int64()
		return i
	}
	return 0
}

func projectRef(p *model.Project) ProjectRef {
	return ProjectRef{ID: p.ID, Name: model.Deref(p.Name), Title: model.Deref(p.Title)}
}

// headline is the one-line text of an event.
func (e *Envelope) headline() string {
	pn := e.Project.Title
	if pn == "" {
		pn = e.Project.Name
	}
	switch e.Type {
	case EventRunFinished:
		return fmt.Sprintf("[%s] Run %s finished", pn, e.Run.Name)
	case EventRunNewFailures:
		return fmt.Sprintf("[%s] %d new failure(s) in run %s", pn, len(e.Failures), e.Run.Name)
	case EventTestFlaky:
		return fmt.Sprintf("[%s] Test %s turned flaky", pn, e.Test.TestID)
	case EventImportDone:
		return fmt.Sprintf("[%s] Import %s done", pn, e.Import.Filename)
	case EventImportFailed:
		return fmt.Sprintf("[%s] Import %s failed", pn, e.Import.Filename)
	default:
		return fmt.Sprintf("[%s] Test event from Ibutsu", pn)
	}
}

// facts are the label/value pairs the chat formats show.
func (e *Envelope) facts() [][2]string {
	var out [][2]string
	if e.Run != nil {
		s := e.Run.Summary
		out = append(out, [2]string{"Tests", fmt.Sprint(s["tests"])}, [2]string{"Passed", fmt.Sprint(s["passes"])},
			[2]string{"Failed", fmt.Sprint(s["failures"])}, [2]string{"Errors", fmt.Sprint(s["errors"])},
			[2]string{"Skipped", fmt.Sprint(s["skips"])})
	}
	if e.Import != nil {
		out = append(out, [2]string{"Status", e.Import.Status})
		if e.Import.Error != "" {
			out = append(out, [2]string{"Error", e.Import.Error})
		}
	}
	if e.Test != nil && e.Test.Reason != "" {
		out = append(out, [2]string{"Reason", e.Test.Reason})
	}
	return out
}

// link is the event's UI address, if any.
func (e *Envelope) link() string {
	switch {
	case e.Run != nil && e.Run.URL != "":
		return e.Run.URL
	case e.Test != nil:
		return e.Test.URL
	}
	return ""
}

// failureLines are the top new failures as short lines.
func (e *Envelope) failureLines() []string {
	var out []string
	for i, f := range e.Failures {
		if i == topFailures {
			break
		}
		exc := f.Exception
		if len(exc) > 200 {
			exc = exc[:200] + "…"
		}
		out = append(out, fmt.Sprintf("%s ×%d: %s", f.TestID, f.Count, strings.ToValidUTF8(exc, "")))
	}
	return out
}
