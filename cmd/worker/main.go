// Command worker runs the Ibutsu worker; see package worker for what it does.
// `worker --help` lists its command and every environment variable.
package main

import (
	"context"
	"io"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/worker"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command line, callable from tests.
func run(args []string, stdout, stderr io.Writer) int {
	return cli.Program{
		Name:    "worker",
		Summary: "Executes queued background tasks (run summaries, imports, large queries, account e-mail) from Redis.",
		Commands: []cli.Command{
			{Name: "run", Summary: "process queued tasks until SIGTERM",
				Run: func(ctx context.Context, env cli.Env) error {
					return worker.Run(ctx, env.Config, env.Log)
				}},
		},
	}.Exec(args, stdout, stderr)
}
