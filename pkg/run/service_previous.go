package run

import (
	"context"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Previous finds the build before r, for "compare with previous build"
// (issue 20 point 10): the latest run of the same project that started
// before r and belongs to the same series — the same Jenkins job when r
// has metadata.jenkins.job_name, else the same source, component and env
// (a missing value matches a missing value). ErrNotFound when r is the
// first of its series. The caller has already checked access to r; the
// previous run is in r's project.
func (s *Service) Previous(ctx context.Context, r *model.Run) (*model.Run, error) {
	return s.store.latest(ctx, previousFilters(r))
}

// previousFilters are the filter strings selecting r's series before r.
func previousFilters(r *model.Run) []string {
	fs := []string{"start_time<" + r.StartTime.UTC().Format(time.RFC3339Nano), "id!" + r.ID.String()}
	if r.ProjectID != nil {
		fs = append(fs, "project_id="+r.ProjectID.String())
	} else {
		fs = append(fs, "project_id@n")
	}
	if jenkins, ok := r.Data["jenkins"].(map[string]any); ok {
		if job, ok := jenkins["job_name"].(string); ok && job != "" {
			return append(fs, "metadata.jenkins.job_name="+job)
		}
	}
	for _, c := range []struct {
		field string
		v     *string
	}{{"source", r.Source}, {"component", r.Component}, {"env", r.Env}} {
		if c.v == nil || *c.v == "" {
			fs = append(fs, c.field+"@n")
		} else {
			fs = append(fs, c.field+"="+*c.v)
		}
	}
	return fs
}
