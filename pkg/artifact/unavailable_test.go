package artifact_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// removeBucket deletes the store's bucket with its objects behind the
// backend's back, as an operator's mistake would.
func removeBucket(t *testing.T, s *objstore.Store) {
	t.Helper()
	ctx := context.Background()
	all := s.Bucket(s.Name(), "")
	if err := all.List(ctx, "", func(o objstore.Object) error { return all.Delete(ctx, o.Key) }); err != nil {
		t.Fatal(err)
	}
	if err := all.RemoveBucket(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestBucketGoneAnswers503: once the bucket is gone, an upload and a view
// of a stored artifact answer a 503 problem saying the object store is
// unavailable, not an opaque 500, and the failed upload leaves no row in
// artifacts nor in ibutsu_artifact_objects.
func TestBucketGoneAnswers503(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) {
			e, s := objEnv(t, sqlite, false)
			removeBucket(t, s)
			artifacts, objects := len(e.artifacts(t)), len(objectRows(t, e))

			for name, fields := range map[string]map[string]string{
				"result": {"resultId": e.mine["result"], "filename": "late.log"},
				"run":    {"runId": e.mine["run"], "filename": "late.log"},
			} {
				r := e.upload(fields, strings.Repeat("late bytes ", 1000), e.UserToken)
				unavailable(t, "upload to a "+name, r)
			}
			if n := len(e.artifacts(t)); n != artifacts {
				t.Errorf("artifacts rows: %d after the failed uploads, want %d", n, artifacts)
			}
			if n := len(objectRows(t, e)); n != objects {
				t.Errorf("object rows: %d after the failed uploads, want %d", n, objects)
			}

			r := e.Do("GET", "/api/artifact/"+e.mine["resultArt"]+"/view", nil, e.UserToken)
			unavailable(t, "view", r)
		})
	}
}

// unavailable checks a response is the object store's 503 problem, with
// the Retry-After every 503 carries.
func unavailable(t *testing.T, what string, r *backendtest.Response) {
	t.Helper()
	ct, body := r.Header().Get("Content-Type"), r.Body.String()
	if r.Code != http.StatusServiceUnavailable || ct != "application/problem+json" || !strings.Contains(body, "object store is unavailable") {
		t.Errorf("%s without a bucket: %d %s %.300s", what, r.Code, ct, body)
	}
	if ra := r.Header().Get("Retry-After"); ra != "1" {
		t.Errorf("%s without a bucket: Retry-After %q, want \"1\"", what, ra)
	}
}
