// Command monitor runs the Ibutsu monitor; see package monitor for what it does.
// `monitor --help` lists its command and every environment variable.
package main

import (
	"context"
	"io"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/monitor"
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command line, callable from tests.
func run(args []string, stdout, stderr io.Writer) int {
	return cli.Program{
		Name:    "monitor",
		Summary: "Serves asynqmon, the web UI of the task queues, and their Prometheus metrics.",
		Commands: []cli.Command{
			{Name: "run", Summary: "serve the queue UI until SIGTERM (loopback only unless MONITOR_BASIC_AUTH or MONITOR_HOST is set)",
				Run: func(ctx context.Context, env cli.Env) error {
					return monitor.Run(ctx, env.Config, env.Log)
				}},
		},
	}.Exec(args, stdout, stderr)
}
