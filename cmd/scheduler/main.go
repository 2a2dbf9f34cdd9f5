// Command scheduler runs the Ibutsu scheduler; see package scheduler for what it does.
// `scheduler --help` lists its command and every environment variable.
package main

import (
	"context"
	"io"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/scheduler"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command line, callable from tests.
func run(args []string, stdout, stderr io.Writer) int {
	return cli.Program{
		Name:    "scheduler",
		Summary: "Enqueues the periodic jobs on their schedule; run exactly one replica.",
		Commands: []cli.Command{
			{Name: "run", Summary: "enqueue periodic jobs until SIGTERM",
				Run: func(ctx context.Context, env cli.Env) error {
					return scheduler.Run(ctx, env.Config, env.Log)
				}},
		},
	}.Exec(args, stdout, stderr)
}
