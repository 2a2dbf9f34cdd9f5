// Package monitor serves asynqmon, the web UI for the task queues (the
// replacement for upstream's Flower), optionally behind HTTP basic auth.
package monitor

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// Handler builds the monitor's HTTP handler: asynqmon at /, Prometheus queue
// metrics at /metrics, /healthz for probes (never behind auth), basic auth on
// everything else when configured.
func Handler(cfg *config.Config) (http.Handler, func() error, error) {
	opt, err := queue.RedisConnOpt(cfg.Redis.URL)
	if err != nil {
		return nil, nil, err
	}
	mon := asynqmon.New(asynqmon.Options{RootPath: "/", RedisConnOpt: opt})
	inspector := asynq.NewInspector(opt)
	reg := prometheus.NewRegistry()
	reg.MustRegister(newQueueCollector(inspector))
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpx.HealthMux(nil))
	mux.Handle("GET /metrics", basicAuth(cfg.MonitorBasicAuth, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	mux.Handle("/", basicAuth(cfg.MonitorBasicAuth, mon))
	return mux, func() error { return errors.Join(mon.Close(), inspector.Close()) }, nil
}

// basicAuth protects h with "user:password" credentials; empty means open.
func basicAuth(creds string, h http.Handler) http.Handler {
	if creds == "" {
		return h
	}
	wantUser, wantPass, _ := strings.Cut(creds, ":")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(wantUser)) != 1 || subtle.ConstantTimeCompare([]byte(p), []byte(wantPass)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="ibutsu-monitor"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Run serves the monitor until ctx ends.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	if err := cfg.Require("monitor"); err != nil {
		return err
	}
	log.Info("effective configuration", "config", cfg.Redacted())
	h, closeFn, err := Handler(cfg)
	if err != nil {
		return err
	}
	defer func() { _ = closeFn() }() // process exit; nothing left to write
	host := ListenHost(cfg.MonitorHost, cfg.MonitorBasicAuth, cfg.HTTP.Host)
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(cfg.MonitorPort)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The warning comes before "monitor listening": whoever waits for that
	// line (an operator, a test) then has the warning too.
	warnIfExposed(log, ln.Addr(), cfg.MonitorBasicAuth)
	log.Info("monitor listening", "addr", ln.Addr().String(), "basic_auth", cfg.MonitorBasicAuth != "")
	return httpx.Serve(ctx, ln, h, httpx.ServerConfig{ShutdownTimeout: cfg.HTTP.ShutdownTimeout, ReadHeaderTimeout: cfg.HTTP.ReadHeaderTimeout}, log, nil)
}
