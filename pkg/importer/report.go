package importer

import (
	"context"
	"fmt"
	"strings"
)

// report collects what an import left out or shortened, so the import's
// metadata (GET /api/import/{id}) tells the uploader which files were cut.
type report struct {
	truncated []truncation
	// count is every truncation, listed or not.
	count int
}

// truncation is one artifact stored shortened.
type truncation struct {
	File string `json:"file"`
	// Size is the original size in bytes (0 when it was not measured: a
	// JUnit text is dropped while it is read).
	Size int64 `json:"size,omitempty"`
}

type reportKey struct{}

func withReport(ctx context.Context, r *report) context.Context {
	return context.WithValue(ctx, reportKey{}, r)
}

// reportFrom is ctx's report; a throwaway one outside an import task.
func reportFrom(ctx context.Context) *report {
	if r, ok := ctx.Value(reportKey{}).(*report); ok {
		return r
	}
	return &report{}
}

// maxReported bounds the files listed by name; the count is always exact.
const maxReported = 100

func (r *report) truncate(file string, size int64) {
	r.count++
	if len(r.truncated) < maxReported {
		r.truncated = append(r.truncated, truncation{File: file, Size: size})
	}
}

// addTo records the report into an import's data: `truncated_artifacts`
// lists the files and `message` says it in a sentence.
func (r *report) addTo(data map[string]any, limit int64) {
	if r.count == 0 {
		return
	}
	names := make([]string, 0, len(r.truncated))
	for _, t := range r.truncated {
		names = append(names, t.File)
	}
	data["truncated_artifacts"] = r.truncated
	more := ""
	if r.count > len(r.truncated) {
		more = fmt.Sprintf(" and %d more", r.count-len(r.truncated))
	}
	data["message"] = fmt.Sprintf("%d file(s) larger than the %d-byte artifact limit were stored truncated: %s%s",
		r.count, limit, strings.Join(names, ", "), more)
}
