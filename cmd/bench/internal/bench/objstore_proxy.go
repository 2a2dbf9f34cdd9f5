package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// bareProxy serves POST /proxy/{key} with nothing but net/http and the
// SDK: the request's body, as it arrives, goes to the store's PutObject
// under proxy/{key}, and the answer is 201 with a small JSON body. It
// parses nothing (the stored object is the whole multipart form, the file
// and some 300 bytes of framing), checks nothing and writes no row. It is
// the floor of any server that takes a file over HTTP and puts it into the
// store: the client's bytes cross one more loopback hop (the client's
// writes and the server's reads of the same bytes) before the SDK's own
// put, which the raw PutObject does not. The upload's distance to it is
// what the backend adds (parsing, checks, rows); its distance to the raw
// put is what the architecture costs on this machine (issue #24).
func bareProxy(ctx context.Context, s *objstore.Store) (base string, stop func(), err error) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /proxy/{key}", func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength <= 0 {
			http.Error(w, `{"detail":"length required"}`, http.StatusLengthRequired)
			return
		}
		if _, err := s.Put(r.Context(), "proxy/"+r.PathValue("key"), r.Body, r.ContentLength); err != nil {
			http.Error(w, fmt.Sprintf(`{"detail":%q}`, err.Error()), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"00000000-0000-0000-0000-000000000000"}`)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen for the bare proxy: %w", err)
	}
	srv := &http.Server{Handler: mux, BaseContext: func(net.Listener) context.Context { return ctx }}
	go func() { _ = srv.Serve(ln) }() // ErrServerClosed once stop closes it
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// proxyPut posts the upload's form n times to the bare proxy, as the
// upload load posts it to the API (same client, same concurrency).
func (o *objLoads) proxyPut(ctx context.Context) (time.Duration, error) {
	return parallel(o.n, o.clients, func(i int) error {
		code, b, err := o.e.requestURL(ctx, "POST", fmt.Sprintf("%s/proxy/%d", o.proxy, i), o.form, o.ctype)
		if err != nil || code != http.StatusCreated || !strings.Contains(string(b), `"id"`) {
			return fmt.Errorf("proxy put: %d %v %.200s", code, err, b)
		}
		return nil
	})
}
