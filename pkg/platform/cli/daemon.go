package cli

import (
	"context"
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// Daemon is the command line of a background process (worker, scheduler,
// monitor): one command, run, the default, which hands the loaded
// configuration and the application logger to the process's run function
// until SIGINT/SIGTERM. Its main is then one line, and its tests share one
// check (pkg/testkit/climain).
func Daemon(name, summary, runSummary string, run func(ctx context.Context, cfg *config.Config, log *slog.Logger) error) Program {
	return Program{
		Name:    name,
		Summary: summary,
		Commands: []Command{{Name: "run", Summary: runSummary, Run: func(ctx context.Context, env Env) error {
			return run(ctx, env.Config, env.Log)
		}}},
	}
}
