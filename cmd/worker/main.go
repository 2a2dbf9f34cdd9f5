// Command worker runs the Ibutsu worker; see package worker for what it does.
package main

import (
	"context"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/worker"
)

func main() {
	os.Exit(cli.Stdio("worker", func(ctx context.Context, env cli.Env) error {
		return worker.Run(ctx, env.Config, env.Log)
	}))
}
