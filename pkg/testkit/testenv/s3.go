package testenv

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// S3Env names the variable holding the test S3-compatible server as
// http://ACCESS:SECRET@host:port (scripts/ensure-s3.sh starts one).
const S3Env = "IBUTSU_TEST_S3_ENDPOINT"

// S3URL returns the test S3 server's endpoint with its credentials.
func S3URL(t testing.TB) string {
	t.Helper()
	return require(t, S3Env)
}

// S3Config returns the settings of a fresh, empty bucket on the test S3
// server (removed with its objects when the test ends); the threshold is 0,
// so every artifact goes to the store.
func S3Config(t testing.TB) config.ObjectStore {
	t.Helper()
	raw := require(t, S3Env)
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		t.Fatalf("%s: want http://ACCESS:SECRET@host:port, got %q", S3Env, raw)
	}
	secret, _ := u.User.Password()
	cfg := config.ObjectStore{
		Endpoint: u.Scheme + "://" + u.Host, Region: "us-east-1", AccessKey: u.User.Username(), SecretKey: secret,
		PathStyle: true, Prefix: "artifacts/", RedirectLifetime: 5 * time.Minute,
		Bucket: "t-" + strings.ReplaceAll(uuid.NewString(), "-", "")[:20],
	}
	s, err := objstore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropBucket(t, s) })
	return cfg
}

func dropBucket(t testing.TB, s *objstore.Store) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	all := s.Bucket(s.Name(), "")
	_ = all.List(ctx, "", func(o objstore.Object) error { return all.Delete(ctx, o.Key) })
	if err := all.RemoveBucket(ctx); err != nil {
		t.Logf("remove test bucket %s: %v", s.Name(), err)
	}
}
