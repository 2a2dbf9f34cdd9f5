package config

import (
	"fmt"
	"net"
	"strconv"
)

// setupKeys are the settings of a first start (issue 20): where the
// monitor listens. Kept apart from the main table so parallel additions to
// it merge cleanly.
var setupKeys = []key{
	// Empty: loopback, unless MONITOR_BASIC_AUTH is set (then HOST). A
	// deployment that fronts the monitor with its own protection sets it
	// explicitly (0.0.0.0).
	{name: "monitor.host", envs: []string{"MONITOR_HOST"}, def: ""},
}

func init() { keys = append(keys, setupKeys...) }

// derivedDefaults describe, for help texts, the defaults Load computes
// from other settings instead of a fixed value.
var derivedDefaults = map[string]string{
	"backend_url":  "http://127.0.0.1:PORT, or HOST when it is a specific address",
	"monitor.host": "127.0.0.1; HOST when MONITOR_BASIC_AUTH is set",
}

// defaultBackendURL is BACKEND_URL when it is not set: this server as seen
// from the machine it runs on, on the port it really listens on — so `PORT`
// alone moves /api/health/info and e-mailed links along with it.
func defaultBackendURL(h HTTP) string {
	host := h.Host
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, strconv.Itoa(h.Port)))
}
