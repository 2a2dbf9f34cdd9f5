package backendtest

import (
	"context"
	"net"
	"sync"
)

// Listener is the backend served by App.Serve on a loopback port: its own
// http.Server with the configured timeouts and graceful shutdown, which
// the httptest recorder and httptest.Server both bypass.
type Listener struct {
	// URL is the server's base, http://127.0.0.1:port.
	URL  string
	stop context.CancelFunc
	done chan error
	once sync.Once
	err  error
}

// Listen serves the backend until Stop or the end of the test; at the end
// an error from Serve fails the test.
func (e *Env) Listen() *Listener {
	e.T.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.T.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Listener{URL: "http://" + ln.Addr().String(), stop: cancel, done: make(chan error, 1)}
	go func() { l.done <- e.App.Serve(ctx, ln) }()
	e.T.Cleanup(func() {
		if err := l.Stop(); err != nil {
			e.T.Errorf("serve: %v", err)
		}
	})
	return l
}

// Stop begins the shutdown and waits for Serve to return (requests in
// flight finish first); it answers Serve's error, the same on every call.
func (l *Listener) Stop() error {
	l.once.Do(func() {
		l.stop()
		l.err = <-l.done
	})
	return l.err
}
