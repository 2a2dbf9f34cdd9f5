package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// objLoads are the objstore scenario's five loads over one bucket: the
// raw SDK's puts and gets, and the API's upload, streamed view and
// redirected download of the same bytes, each timed alone.
type objLoads struct {
	e       *Env
	s       *objstore.Store
	body    []byte
	form    []byte // a multipart upload of body
	ctype   string
	n       int // objects a load writes, or reads reads times each
	reads   int
	clients int
	// ids are the artifacts of the latest upload, which the reads fetch.
	ids []string
	// proxy is the bare proxy's base URL (objstore_proxy.go).
	proxy string
}

// rawPut stores the n objects with the SDK's PutObject.
func (o *objLoads) rawPut(ctx context.Context) (time.Duration, error) {
	return parallel(o.n, o.clients, func(i int) error {
		_, err := o.s.Put(ctx, fmt.Sprintf("raw/%d", i), bytes.NewReader(o.body), int64(len(o.body)))
		return err
	})
}

// upload stores n artifacts with POST /api/artifact and keeps their ids.
func (o *objLoads) upload(ctx context.Context) (time.Duration, error) {
	ids := make([]string, o.n)
	d, err := parallel(o.n, o.clients, func(i int) error {
		var a struct {
			ID string `json:"id"`
		}
		code, b, err := o.e.request(ctx, "POST", "/api/artifact", o.form, o.ctype)
		if err != nil || code != http.StatusCreated {
			return fmt.Errorf("upload: %d %v %.200s", code, err, b)
		}
		if err := json.Unmarshal(b, &a); err != nil {
			return fmt.Errorf("upload: %w", err)
		}
		ids[i] = a.ID
		return nil
	})
	if err != nil {
		return d, err
	}
	o.ids = ids
	return d, nil
}

// dropUploads deletes the artifacts of the latest upload (and so their
// objects), untimed, so that the rounds do not pile up objects on disk.
func (o *objLoads) dropUploads(ctx context.Context) error {
	for _, id := range o.ids {
		code, b, err := o.e.request(ctx, "DELETE", "/api/artifact/"+id, nil, "")
		if err != nil || code >= 300 {
			return fmt.Errorf("delete artifact %s: %d %v %.200s", id, code, err, b)
		}
	}
	o.ids = nil
	return nil
}

// rawGet reads every raw object reads times with the SDK's GetObject,
// called directly: objstore.Get asks for the object's size first, one
// request more than the SDK needs.
func (o *objLoads) rawGet(ctx context.Context) (time.Duration, error) {
	return parallel(o.n*o.reads, o.clients, func(i int) error {
		r, err := o.e.sdk.GetObject(ctx, o.s.Name(), fmt.Sprintf("raw/%d", i%o.n), minio.GetObjectOptions{})
		if err != nil {
			return err
		}
		defer func() { _ = r.Close() }()
		m, err := io.Copy(io.Discard, r)
		if err == nil && m != int64(len(o.body)) {
			err = fmt.Errorf("raw get: %d bytes", m)
		}
		return err
	})
}

// view reads every uploaded artifact reads times through
// GET /api/artifact/{id}/view, which streams the object through the
// backend.
func (o *objLoads) view(ctx context.Context) (time.Duration, error) {
	return parallel(o.n*o.reads, o.clients, func(i int) error {
		resp, err := o.get(ctx, o.e.Base+"/api/artifact/"+o.ids[i%o.n]+"/view", true)
		if err != nil {
			return err
		}
		return o.drain(resp)
	})
}

// download reads every uploaded artifact reads times through
// GET /api/artifact/{id}/download: a 302 to a presigned URL, which is
// then fetched without the API token.
func (o *objLoads) download(ctx context.Context) (time.Duration, error) {
	return parallel(o.n*o.reads, o.clients, func(i int) error {
		resp, err := o.get(ctx, o.e.Base+"/api/artifact/"+o.ids[i%o.n]+"/download", true)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			return fmt.Errorf("download: %d, want a redirect", resp.StatusCode)
		}
		if resp, err = o.get(ctx, resp.Header.Get("Location"), false); err != nil {
			return err
		}
		return o.drain(resp)
	})
}

func (o *objLoads) get(ctx context.Context, url string, auth bool) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+o.e.Token)
	}
	return noRedirect.Do(req)
}

// drain reads a download to its end and checks it is the whole artifact.
func (o *objLoads) drain(resp *http.Response) error {
	defer func() { _ = resp.Body.Close() }()
	m, err := io.Copy(io.Discard, resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || m != int64(len(o.body)) {
		return fmt.Errorf("download: %d %v, %d bytes", resp.StatusCode, err, m)
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
