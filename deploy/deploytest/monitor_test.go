package deploytest

import (
	"net"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/monitor"
)

// The monitor binds loopback unless it has basic auth or MONITOR_HOST; its
// Service, Route/Ingress and probes reach the pod IP, so each manifest must
// make it listen there even when the optional monitor-basic-auth key is
// missing from the Secret.
func TestMonitorListensWhereTheServiceReachesIt(t *testing.T) {
	for _, s := range sets(t) {
		c := container(podSpec(s.find("Deployment", "ibutsu-monitor")), "monitor")
		monitorHost, httpHost, auth := "", "0.0.0.0", ""
		for _, e := range list(c, "env") {
			switch str(e, "name") {
			case "MONITOR_HOST":
				monitorHost = str(e, "value")
			case "HOST":
				httpHost = str(e, "value")
			case "MONITOR_BASIC_AUTH":
				if ref := mapOf(e, "valueFrom", "secretKeyRef"); ref != nil && get(ref, "optional") != true {
					auth = "required"
				}
			}
		}
		host := monitor.ListenHost(monitorHost, auth, httpHost)
		if ip := net.ParseIP(host); host == "localhost" || ip == nil || ip.IsLoopback() {
			t.Errorf("%s: the monitor would listen on %q, out of reach of its probes and Service (set MONITOR_HOST or require basic auth)", s.flavour, host)
		}
	}
}
