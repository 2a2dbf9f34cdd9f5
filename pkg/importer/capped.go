package importer

import (
	"context"
	"fmt"
	"io"

	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
)

// defaultArtifactBytes is the artifact cap when Limits leaves it unset:
// upstream's 5 MiB upload limit.
const defaultArtifactBytes = 5 << 20

// artifactCap is the largest artifact an import stores: the same cap
// POST /api/artifact enforces, so an import cannot smuggle in what an
// upload may not.
func (s *Service) artifactCap() int64 {
	if s.limits.MaxArtifactBytes > 0 {
		return s.limits.MaxArtifactBytes
	}
	return defaultArtifactBytes
}

// truncationMarker ends an artifact stored shortened; it is plain ASCII
// so it reads the same in any viewer.
func truncationMarker(size, limit int64) []byte {
	return fmt.Appendf(nil, "\n[ibutsu: truncated; the original was %d bytes, over the %d-byte artifact limit]\n", size, limit)
}

// readCapped reads r to its end holding at most limit bytes: a body up to
// limit is returned whole; a longer one is returned as its head plus a
// truncation marker (limit bytes in all) and the rest is read and
// discarded as it streams. size is the original length.
func readCapped(r io.Reader, limit int64) (b []byte, size int64, truncated bool, err error) {
	b, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, 0, false, err
	}
	if int64(len(b)) <= limit {
		return b, int64(len(b)), false, nil
	}
	rest, err := io.Copy(io.Discard, r)
	if err != nil {
		return nil, 0, false, err
	}
	size = int64(len(b)) + rest
	marker := truncationMarker(size, limit)
	keep := limit - int64(len(marker))
	if keep < 0 {
		keep = 0
	}
	return append(b[:keep:keep], marker...), size, true, nil
}

// junitOptions bound one JUnit report: captured output and tracebacks are
// cut so their artifact (text and marker) fits the artifact cap, and one
// tag may not exceed maxMarkupBytes.
func (s *Service) junitOptions() junit.Options {
	return junit.Options{MaxText: int(max(s.artifactCap()-int64(junit.MarkerLen), 1)), MaxMarkup: maxMarkupBytes}
}

// artifactNames maps the JUnit elements whose text becomes an artifact to
// that artifact's file name.
var artifactNames = map[string]string{"failure": "traceback.log", "error": "traceback.log",
	"system-out": "system-out.log", "system-err": "system-err.log", "skipped": "skip_reason"}

// noteTruncated reports the cut texts of one test case.
func (s *Service) noteTruncated(ctx context.Context, c *junit.Case, testID string) {
	for _, el := range c.Truncated {
		name := artifactNames[el]
		if name == "" {
			name = el
		}
		reportFrom(ctx).truncate(testID+"/"+name, 0)
	}
}
