// Package cli is the shared start-up of the four binaries: flags, help,
// subcommands, config, loggers and signal handling, so each main.go stays a
// few lines long.
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
// (stderr) and an access logger (stdout), the remaining arguments, and the
// standard streams for commands that talk to an operator.
type Env struct {
	Config    *config.Config
	Log       *slog.Logger
	AccessLog *slog.Logger
	Args      []string
	Stdin     io.Reader
	Stdout    io.Writer
}

// Main parses flags, loads the config and runs cmd until SIGINT/SIGTERM.
// It returns the process exit code: 0 on success (and for --help), 1 on a
// runtime error, 2 on a configuration error (printed as one line naming the
// variable). Binaries with subcommands use Program instead.
func Main(name string, args []string, stdout, stderr io.Writer, cmd func(ctx context.Context, env Env) error) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "YAML config file (default: $"+config.ConfigFileEnv+")")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			envHelp(stderr)
			return 0
		}
		return 2
	}
	if *showVersion {
		printf(stdout, "ibutsu %s %s\n", name, version.Get())
		return 0
	}
	return start(name, *cfgPath, fs.Args(), os.Stdin, stdout, stderr, cmd)
}

// start loads the config and runs cmd with loggers and signal handling.
func start(name, cfgPath string, args []string, stdin io.Reader, stdout, stderr io.Writer, cmd func(ctx context.Context, env Env) error) int {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		printf(stderr, "%s: configuration error: %v\n", name, err)
		return 2
	}
	log := logging.New(stderr, cfg.Log.Format, cfg.Log.Level).With("service", name)
	access := logging.New(stdout, cfg.Log.Format, cfg.Log.Level).With("service", name)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	env := Env{Config: cfg, Log: log, AccessLog: access, Args: args, Stdin: stdin, Stdout: stdout}
	if err := cmd(ctx, env); err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			printf(stderr, "%s: configuration error: %v\n", name, err)
			return 2
		}
		log.Error("exiting", "error", err)
		printf(stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}

// Stdio runs Main with the process's arguments and standard streams.
func Stdio(name string, cmd func(ctx context.Context, env Env) error) int {
	return Main(name, os.Args[1:], os.Stdout, os.Stderr, cmd)
}

// printf writes help, version and error text for a person at a terminal. A
// failed write to stdout/stderr has nowhere to be reported, so it is dropped.
func printf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}
