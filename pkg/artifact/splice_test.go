package artifact_test

import (
	"bufio"
	"crypto/sha256"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readBytes is what this process has read by read(2) and the like so far
// (/proc/self/io's rchar): bytes that a splice(2) moves between two sockets
// never count in it.
func readBytes(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/io")
	if err != nil {
		t.Skipf("no /proc/self/io (not Linux): %v", err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "rchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no rchar in /proc/self/io")
	return 0
}

// TestObjectViewSplicesTheObject views a 4 MiB artifact kept in the object
// store over real HTTP: the body is the object's, and the backend moved it
// from the store's socket to the client's without reading it, so the
// process read the artifact about once (the test's client reading the
// response) where a copy through a buffer reads it twice (once from the
// store, once as the client).
func TestObjectViewSplicesTheObject(t *testing.T) {
	e, _ := objEnv(t, false, false)
	const size = 4 << 20
	content := strings.Repeat("0123456789abcdef", size/16)
	r := e.upload(map[string]string{"runId": e.mine["run"], "filename": "big.log"}, content, e.UserToken)
	if r.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Code, r.Body)
	}
	id := r.Map()["id"].(string)
	srv := httptest.NewServer(e.App.Router)
	defer srv.Close()
	req := viewRequest(t, srv.URL, id, e.UserToken)

	before := readBytes(t)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	_ = resp.Body.Close()
	read := readBytes(t) - before
	if err != nil || resp.StatusCode != http.StatusOK || n != size || [32]byte(h.Sum(nil)) != sha256.Sum256([]byte(content)) {
		t.Fatalf("view: %d, %d bytes, %v", resp.StatusCode, n, err)
	}
	if read > size*3/2 {
		t.Errorf("the process read %.1f MiB to serve a %d MiB artifact: the object was copied through the backend, not spliced", float64(read)/(1<<20), size>>20)
	}
}

// TestObjectViewOfAMissingObject: an artifact whose object was removed
// behind the API's back answers as through the SDK's path: a problem
// document with status 500, since the server lost what its row promises
// (the reconciliation task reports such rows), not a client's mistake.
func TestObjectViewOfAMissingObject(t *testing.T) {
	e, s := objEnv(t, false, false)
	id := e.mine["resultArt"]
	if err := s.Delete(t.Context(), objectRows(t, e)[id].Key); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.App.Router)
	defer srv.Close()
	req := viewRequest(t, srv.URL, id, e.UserToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("view of a missing object: %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}

// viewRequest is GET /api/artifact/{id}/view on the server at base as the
// holder of token.
func viewRequest(t *testing.T, base, id, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", base+"/api/artifact/"+id+"/view", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}
