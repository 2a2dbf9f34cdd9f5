// Command backend serves the Ibutsu REST API (and the web UI).
//
//	backend [--config file.yaml]                             serve
//	backend [--config file.yaml] migrate                     apply database migrations and exit
//	backend [--config file.yaml] migrate --down-to-upstream  remove our objects so upstream's
//	                                                         Python server can take the database back
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/web"
)

func main() {
	os.Exit(cli.Stdio("backend", func(ctx context.Context, env cli.Env) error {
		switch sub := first(env.Args); sub {
		case "", "serve":
			return backend.Run(ctx, env.Config, env.Log, env.AccessLog, backend.WithUI(web.Dist()))
		case "migrate":
			switch rest := env.Args[1:]; {
			case len(rest) == 0:
				return backend.Migrate(ctx, env.Config, env.Log)
			case len(rest) == 1 && (rest[0] == "--down-to-upstream" || rest[0] == "-down-to-upstream"):
				return downToUpstream(ctx, env)
			default:
				return fmt.Errorf("unknown migrate arguments %q (want none or --down-to-upstream)", rest)
			}
		default:
			return fmt.Errorf("unknown command %q (want serve or migrate)", sub)
		}
	}))
}

// downToUpstream hands the database back to upstream's server: see
// db.DB.DownToUpstream and docs/operations.md.
func downToUpstream(ctx context.Context, env cli.Env) error {
	d, err := db.Open(ctx, env.Config.Database, env.Log)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.DownToUpstream(ctx, env.Log)
}

func first(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}
