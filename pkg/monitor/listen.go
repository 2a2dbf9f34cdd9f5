package monitor

import (
	"log/slog"
	"net"
)

// ListenHost is where the monitor listens. asynqmon can delete, retry and
// pause tasks, so without basic auth it stays on loopback unless
// MONITOR_HOST says otherwise (a deployment that protects it in front, or
// accepts the risk, sets MONITOR_HOST explicitly). With basic auth it
// follows HOST like the other servers.
func ListenHost(monitorHost, basicAuth, httpHost string) string {
	switch {
	case monitorHost != "":
		return monitorHost
	case basicAuth != "":
		return httpHost
	default:
		return "127.0.0.1"
	}
}

// warnIfExposed logs at WARN when the monitor answers on a non-loopback
// address without credentials: anyone who reaches the port controls the
// task queues.
func warnIfExposed(log *slog.Logger, addr net.Addr, basicAuth string) bool {
	if basicAuth != "" {
		return false
	}
	tcp, ok := addr.(*net.TCPAddr)
	if ok && tcp.IP.IsLoopback() {
		return false
	}
	log.Warn("monitor listens on a non-loopback address WITHOUT authentication: anyone who reaches it can delete, retry and pause tasks; set MONITOR_BASIC_AUTH=user:password or put an authenticating proxy in front",
		"addr", addr.String())
	return true
}
