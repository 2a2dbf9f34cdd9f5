// Package cli is the shared start-up of the four binaries: flags, config,
// loggers and signal handling, so each main.go stays a few lines long.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/logging"
	"github.com/ibutsu-go/ibutsu/pkg/platform/version"
)

// Env is what a binary's command gets: its config, an application logger
// (stderr) and an access logger (stdout), and the remaining arguments.
type Env struct {
	Config    *config.Config
	Log       *slog.Logger
	AccessLog *slog.Logger
	Args      []string
}

// Main parses flags, loads the config and runs cmd until SIGINT/SIGTERM.
// It returns the process exit code: 0 on success, 1 on a runtime error, 2
// on a configuration error (printed as one line naming the variable).
func Main(name string, args []string, stdout, stderr io.Writer, cmd func(ctx context.Context, env Env) error) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "YAML config file (default: $"+config.ConfigFileEnv+")")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *showVersion {
		fmt.Fprintf(stdout, "ibutsu %s %s\n", name, version.Get())
		return 0
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "%s: configuration error: %v\n", name, err)
		return 2
	}
	log := logging.New(stderr, cfg.Log.Format, cfg.Log.Level).With("service", name)
	access := logging.New(stdout, cfg.Log.Format, cfg.Log.Level).With("service", name)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := cmd(ctx, Env{Config: cfg, Log: log, AccessLog: access, Args: fs.Args()}); err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			fmt.Fprintf(stderr, "%s: configuration error: %v\n", name, err)
			return 2
		}
		log.Error("exiting", "error", err)
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}

// Stdio runs Main with the process's arguments and standard streams.
func Stdio(name string, cmd func(ctx context.Context, env Env) error) int {
	return Main(name, os.Args[1:], os.Stdout, os.Stderr, cmd)
}
