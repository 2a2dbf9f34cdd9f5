package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// objstoreTarget is the documented goal: artifact throughput through the
// API at least this share of the raw SDK's on the same bytes.
const objstoreTarget = 0.8

// objstoreArtifact is the size of one benchmark artifact: large enough to
// measure bytes, not requests, and under the 5 MiB upload cap.
const objstoreArtifact = 4 << 20

// objstoreThreshold keeps the other scenarios' small artifacts in the
// database while the benchmark's go to the store.
const objstoreThreshold = 1 << 20

// objectStoreConfig is the store the benchmark backend writes large
// artifacts to: a fresh bucket on the S3 server named by
// IBUTSU_BENCH_S3_ENDPOINT or IBUTSU_TEST_S3_ENDPOINT
// (http://ACCESS:SECRET@host:port); ok false without one.
func objectStoreConfig(raw string) (config.ObjectStore, bool, error) {
	if raw == "" {
		return config.ObjectStore{}, false, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return config.ObjectStore{}, false, fmt.Errorf("S3 endpoint: want http://ACCESS:SECRET@host:port")
	}
	secret, _ := u.User.Password()
	return config.ObjectStore{Endpoint: u.Scheme + "://" + u.Host, Bucket: "ibutsu-bench-" + randomHex(6), Region: "us-east-1",
		AccessKey: u.User.Username(), SecretKey: secret, PathStyle: true, Prefix: "artifacts/", Threshold: objstoreThreshold,
		Redirect: true, RedirectLifetime: 5 * time.Minute}, true, nil
}

// objstore measures artifact upload and download through the API against
// the raw SDK's PutObject and GetObject of the same bytes, at the same
// concurrency, on the same bucket.
func (e *Env) objstore(ctx context.Context, rep *Report, sc Scale) error {
	s := e.bucket
	if s == nil {
		return fmt.Errorf("no S3 server: set IBUTSU_BENCH_S3_ENDPOINT or run scripts/ensure-services.sh")
	}
	n, clients := 16, 4
	if sc.Name == "medium" || sc.Name == "large" {
		n = 64
	}
	body := make([]byte, objstoreArtifact)
	_, _ = rand.Read(body) // incompressible, like screenshots and archives
	var run struct {
		ID string `json:"id"`
	}
	if err := e.call(ctx, "POST", "/api/run", fmt.Appendf(nil, `{"metadata":{"project":%q}}`, e.Ingest.String()), 201, &run); err != nil {
		return err
	}
	form, ctype := artifactForm(run.ID, body)
	rawPut := func() (time.Duration, error) {
		return parallel(n, clients, func(i int) error {
			_, err := s.Put(ctx, fmt.Sprintf("raw/%d", i), bytes.NewReader(body), int64(len(body)))
			return err
		})
	}
	rawPut1, err := rawPut()
	if err != nil {
		return err
	}
	ids := make([]string, n)
	upload, err := parallel(n, clients, func(i int) error {
		var a struct {
			ID string `json:"id"`
		}
		code, b, err := e.request(ctx, "POST", "/api/artifact", form, ctype)
		if err != nil || code != 201 {
			return fmt.Errorf("upload: %d %v %.200s", code, err, b)
		}
		if err := json.Unmarshal(b, &a); err != nil {
			return err
		}
		ids[i] = a.ID
		return nil
	})
	if err != nil {
		return err
	}
	rawPut2, err := rawPut()
	if err != nil {
		return err
	}
	rawPutAvg := (rawPut1 + rawPut2) / 2
	get := func(url string, auth bool) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
		if err != nil {
			return nil, err
		}
		if auth {
			req.Header.Set("Authorization", "Bearer "+e.Token)
		}
		return noRedirect.Do(req)
	}
	drain := func(resp *http.Response) error {
		defer func() { _ = resp.Body.Close() }()
		m, err := io.Copy(io.Discard, resp.Body)
		if err != nil || resp.StatusCode != 200 || m != int64(len(body)) {
			return fmt.Errorf("download: %d %v, %d bytes", resp.StatusCode, err, m)
		}
		return nil
	}
	// Reads are fast: each object is read `rounds` times so a figure covers
	// enough bytes, and the raw reads run before and after the API's.
	const rounds = 4
	rawGet := func() (time.Duration, error) {
		return parallel(n*rounds, clients, func(i int) error {
			r, err := s.Get(ctx, fmt.Sprintf("raw/%d", i%n), 0)
			if err != nil {
				return err
			}
			defer func() { _ = r.Close() }()
			m, err := io.Copy(io.Discard, r)
			if err == nil && m != int64(len(body)) {
				err = fmt.Errorf("raw get: %d bytes", m)
			}
			return err
		})
	}
	rawGet1, err := rawGet()
	if err != nil {
		return err
	}
	view, err := parallel(n*rounds, clients, func(i int) error {
		resp, err := get(e.Base+"/api/artifact/"+ids[i%n]+"/view", true)
		if err != nil {
			return err
		}
		return drain(resp)
	})
	if err != nil {
		return err
	}
	download, err := parallel(n*rounds, clients, func(i int) error {
		resp, err := get(e.Base+"/api/artifact/"+ids[i%n]+"/download", true)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			return fmt.Errorf("download: %d, want a redirect", resp.StatusCode)
		}
		if resp, err = get(resp.Header.Get("Location"), false); err != nil {
			return err
		}
		return drain(resp)
	})
	if err != nil {
		return err
	}
	rawGet2, err := rawGet()
	if err != nil {
		return err
	}
	rawGetAvg := (rawGet1 + rawGet2) / 2
	mb := float64(n) * float64(len(body)) / 1e6
	for _, c := range []struct {
		name      string
		times     int
		api, raw  time.Duration
		limitName string
	}{
		{"POST /api/artifact", 1, upload, rawPutAvg, "raw SDK PutObject (mean of a run before and after)"},
		{"GET /api/artifact/{id}/view (streamed through the backend)", rounds, view, rawGetAvg, "raw SDK GetObject (mean of a run before and after)"},
		{"GET /api/artifact/{id}/download (302 + presigned GET)", rounds, download, rawGetAvg, "raw SDK GetObject (mean of a run before and after)"},
	} {
		api, raw := float64(c.times)*mb/c.api.Seconds(), float64(c.times)*mb/c.raw.Seconds()
		rep.add(Row{Scenario: "objstore", Case: fmt.Sprintf("%s, %d × 4 MiB, %d clients", c.name, n*c.times, clients), Unit: "MB/s", Value: api,
			Limit: fmt.Sprintf("%s of the same bytes, same bucket, %d clients", c.limitName, clients), LimitValue: raw,
			Target: "≥ 0.8 of the raw SDK", Met: met(api/raw >= objstoreTarget)})
	}
	return nil
}

// noRedirect is a client that hands redirects back (a presigned URL must
// be fetched without the API token).
var noRedirect = &http.Client{Timeout: 5 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// artifactForm is the multipart body of an upload of body to run id.
func artifactForm(runID string, body []byte) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("runId", runID)
	_ = w.WriteField("filename", "screenshot.bin")
	fw, _ := w.CreateFormFile("file", "screenshot.bin")
	_, _ = fw.Write(body)
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// parallel runs fn(0..n-1) on clients goroutines and returns the wall time.
func parallel(n, clients int, fn func(i int) error) (time.Duration, error) {
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start), first
}

// newBucket creates the benchmark's bucket; dropBucket empties and removes it.
func newBucket(ctx context.Context, cfg config.ObjectStore) (*objstore.Store, error) {
	s, err := objstore.New(cfg)
	if err != nil {
		return nil, err
	}
	return s, s.EnsureBucket(ctx)
}

func dropBucket(ctx context.Context, s *objstore.Store) error {
	all := s.Bucket(s.Name(), "")
	if err := all.List(ctx, "", func(o objstore.Object) error { return all.Delete(ctx, o.Key) }); err != nil {
		return err
	}
	return all.RemoveBucket(ctx)
}
