package monitor

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/logbuf"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

func TestListenHost(t *testing.T) {
	for _, tc := range []struct{ monitorHost, auth, httpHost, want string }{
		{"", "", "0.0.0.0", "127.0.0.1"},       // no auth: loopback, whatever HOST says
		{"", "ops:pw", "0.0.0.0", "0.0.0.0"},   // auth: follows HOST
		{"0.0.0.0", "", "0.0.0.0", "0.0.0.0"},  // explicit
		{"10.0.0.5", "ops:pw", "", "10.0.0.5"}, // explicit wins
	} {
		if got := ListenHost(tc.monitorHost, tc.auth, tc.httpHost); got != tc.want {
			t.Errorf("ListenHost(%q, %q, %q) = %q, want %q", tc.monitorHost, tc.auth, tc.httpHost, got, tc.want)
		}
	}
}

// runMonitor starts Run with env settings, waits until it listens and
// returns the address it bound and whether it logged a warning.
func runMonitor(t *testing.T, monitorHost, auth string) (addr string, warned bool) {
	t.Helper()
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := free.Addr().(*net.TCPAddr).Port
	_ = free.Close()
	t.Setenv("CELERY_BROKER_URL", testenv.RedisURL(t))
	t.Setenv("MONITOR_PORT", strconv.Itoa(port))
	t.Setenv("MONITOR_HOST", monitorHost)
	t.Setenv("MONITOR_BASIC_AUTH", auth)
	t.Setenv("HOST", "")
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	var buf logbuf.Buffer
	log := buf.JSONLogger()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, log) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("monitor: %v", err)
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range buf.Records(t) {
			if l["msg"] == "monitor listening" {
				addr = l["addr"].(string)
			}
		}
		if addr != "" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if addr == "" {
		t.Fatal("monitor did not start listening")
	}
	for _, l := range buf.Records(t) {
		if l["level"] == "WARN" && strings.Contains(l["msg"].(string), "WITHOUT authentication") {
			warned = true
		}
	}
	return addr, warned
}

// Without basic auth the monitor binds loopback and stays quiet; told to
// listen everywhere without auth it does, with a warning; with auth it
// listens on HOST (all interfaces by default) without one.
func TestMonitorBindsLoopbackWithoutAuth(t *testing.T) {
	addr, warned := runMonitor(t, "", "")
	if host, _, _ := net.SplitHostPort(addr); host != "127.0.0.1" || warned {
		t.Fatalf("no auth, no MONITOR_HOST: bound %s, warned=%v", addr, warned)
	}
	addr, warned = runMonitor(t, "0.0.0.0", "")
	if !allInterfaces(addr) || !warned {
		t.Fatalf("MONITOR_HOST=0.0.0.0 without auth: bound %s, warned=%v", addr, warned)
	}
	addr, warned = runMonitor(t, "", "ops:secret")
	if !allInterfaces(addr) || warned {
		t.Fatalf("with auth: bound %s, warned=%v", addr, warned)
	}
}

func allInterfaces(addr string) bool {
	host, _, _ := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}
