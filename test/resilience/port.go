package resilience

import (
	"net"
	"testing"
)

// FreePort returns a TCP port on 127.0.0.1 nobody listens on right now, for
// servers that must be started (and restarted) on a fixed port.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().(*net.TCPAddr).Port
}
