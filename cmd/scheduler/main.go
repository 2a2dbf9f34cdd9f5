// Command scheduler runs the Ibutsu scheduler; see package scheduler for what it does.
package main

import (
	"context"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/scheduler"
)

func main() {
	os.Exit(cli.Stdio("scheduler", func(ctx context.Context, env cli.Env) error {
		return scheduler.Run(ctx, env.Config, env.Log)
	}))
}
