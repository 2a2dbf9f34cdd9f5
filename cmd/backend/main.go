// Command backend serves the Ibutsu REST API (and the web UI).
//
//	backend [--config file.yaml]          serve
//	backend [--config file.yaml] migrate  apply database migrations and exit
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/web"
)

func main() {
	os.Exit(cli.Stdio("backend", func(ctx context.Context, env cli.Env) error {
		switch sub := first(env.Args); sub {
		case "", "serve":
			return backend.Run(ctx, env.Config, env.Log, env.AccessLog, backend.WithUI(web.Dist()))
		case "migrate":
			return backend.Migrate(ctx, env.Config, env.Log)
		default:
			return fmt.Errorf("unknown command %q (want serve or migrate)", sub)
		}
	}))
}

func first(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}
