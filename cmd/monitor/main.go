// Command monitor runs the Ibutsu monitor; see package monitor for what it does.
package main

import (
	"context"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/monitor"
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
)

func main() {
	os.Exit(cli.Stdio("monitor", func(ctx context.Context, env cli.Env) error {
		return monitor.Run(ctx, env.Config, env.Log)
	}))
}
