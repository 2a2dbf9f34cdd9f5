// Command monitor runs the Ibutsu monitor; see package monitor for what it does.
// `monitor --help` lists its command and every environment variable.
package main

import (
	"github.com/ibutsu-go/ibutsu/pkg/monitor"
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
)

func main() { program().Main() }

// program is the whole command line, callable from tests.
func program() cli.Program {
	return cli.Daemon("monitor", "Serves asynqmon, the web UI of the task queues, and their Prometheus metrics.", "serve the queue UI until SIGTERM (loopback only unless MONITOR_BASIC_AUTH or MONITOR_HOST is set)", monitor.Run)
}
