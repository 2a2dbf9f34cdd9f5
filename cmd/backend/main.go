// Command backend serves the Ibutsu REST API (and the web UI).
//
//	backend [--config file.yaml]                 serve
//	backend [--config file.yaml] migrate         apply database migrations and exit
//	backend [--config file.yaml] migrate --down-to-upstream
//	                                             remove our objects so upstream's Python
//	                                             server can take the database back
//	backend [--config file.yaml] artifacts migrate [--batch N] [--to-database]
//	                                             move artifacts to (or back from) the object store
//	backend reset-password --email X [--password-stdin]
//
// `backend --help` lists the commands and every environment variable.
package main

import (
	"context"
	"flag"
	"io"
	"os"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/web"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole command line, callable from tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return program(stdin).Exec(args, stdout, stderr)
}

func program(stdin io.Reader) cli.Program {
	return cli.Program{
		Name:    "backend",
		Summary: "Serves the Ibutsu REST API under /api and, when built with it, the web UI.",
		Stdin:   stdin,
		Commands: []cli.Command{
			{Name: "serve", Summary: "serve the API (migrates first unless DB_MIGRATE_ON_START=false)",
				Run: func(ctx context.Context, env cli.Env) error {
					return backend.Run(ctx, env.Config, env.Log, env.AccessLog, backend.WithUI(web.Dist()))
				}},
			{Name: "migrate", Summary: "apply pending database migrations and exit",
				Flags: func(fs *flag.FlagSet) cli.RunFunc {
					down := fs.Bool("down-to-upstream", false, "instead, remove every object of ours so upstream's Python server can take the database back (docs/operations.md)")
					return func(ctx context.Context, env cli.Env) error {
						if *down {
							return downToUpstream(ctx, env)
						}
						return backend.Migrate(ctx, env.Config, env.Log)
					}
				}},
			resetPasswordCommand(),
			artifactsCommand(),
		},
	}
}

// downToUpstream hands the database back to upstream's server: see
// db.DB.DownToUpstream and docs/operations.md.
func downToUpstream(ctx context.Context, env cli.Env) error {
	d, err := db.Open(ctx, env.Config.Database, env.Log)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // a finished command: the database is left as DownToUpstream wrote it
	return d.DownToUpstream(ctx, env.Log)
}
