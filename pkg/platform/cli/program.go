package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/version"
)

// RunFunc is what a command does once flags and config are loaded.
type RunFunc func(ctx context.Context, env Env) error

// Command is one subcommand of a binary. Flags declares the command's own
// flags on fs and returns the function that runs it (a closure over the flag
// values); it is nil for a command without flags.
type Command struct {
	Name    string
	Summary string
	// Args describes positional arguments for the usage line ("" = none
	// accepted).
	Args  string
	Run   RunFunc
	Flags func(fs *flag.FlagSet) RunFunc
}

// Program describes a binary: what --help prints and which commands it
// runs. The first command is the default when none is named.
type Program struct {
	Name     string
	Summary  string
	Commands []Command
	// Stdin is handed to commands (os.Stdin in the binary).
	Stdin io.Reader
}

// Exec runs the program with args (without the program name). Help
// (--help, -h, `help [command]`, `command --help`) is answered before the
// configuration is loaded, so it exits 0 and does nothing else: no
// migration, no connection, no listener. Exit codes are Main's.
func (p Program) Exec(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(p.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfgPath := fs.String("config", "", "YAML config file (default: $"+config.ConfigFileEnv+")")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			p.usage(stdout, fs)
			return 0
		}
		printf(stderr, "%s: %v\nRun '%s --help' for usage.\n", p.Name, err, p.Name)
		return 2
	}
	if *showVersion {
		printf(stdout, "ibutsu %s %s\n", p.Name, version.Get())
		return 0
	}
	rest := fs.Args()
	cmd := p.Commands[0]
	if len(rest) > 0 {
		if rest[0] == "help" {
			if len(rest) > 1 {
				if c, ok := p.command(rest[1]); ok {
					cfs, _ := p.prepare(c, cfgPath)
					p.commandUsage(stdout, c, cfs)
					return 0
				}
			}
			p.usage(stdout, fs)
			return 0
		}
		c, ok := p.command(rest[0])
		if !ok {
			printf(stderr, "%s: unknown command %q (want %s)\nRun '%s --help' for usage.\n", p.Name, rest[0], p.names(), p.Name)
			return 2
		}
		cmd, rest = c, rest[1:]
	}
	cfs, run := p.prepare(cmd, cfgPath)
	if err := cfs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			p.commandUsage(stdout, cmd, cfs)
			return 0
		}
		printf(stderr, "%s %s: %v\nRun '%s %s --help' for usage.\n", p.Name, cmd.Name, err, p.Name, cmd.Name)
		return 2
	}
	if cfs.NArg() > 0 && cmd.Args == "" {
		printf(stderr, "%s %s: unexpected argument %q\nRun '%s %s --help' for usage.\n", p.Name, cmd.Name, cfs.Arg(0), p.Name, cmd.Name)
		return 2
	}
	return start(p.Name, *cfgPath, cfs.Args(), p.Stdin, stdout, stderr, run)
}

// Stdio runs the program with the process's arguments and standard streams.
func (p Program) Stdio() int {
	if p.Stdin == nil {
		p.Stdin = os.Stdin
	}
	return p.Exec(os.Args[1:], os.Stdout, os.Stderr)
}

func (p Program) command(name string) (Command, bool) {
	for _, c := range p.Commands {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

func (p Program) names() string {
	var n []string
	for _, c := range p.Commands {
		n = append(n, c.Name)
	}
	return strings.Join(n, ", ")
}

// prepare builds a command's flag set with the command's own flags
// declared, and the function to run; --config is accepted after the command
// name too (`backend migrate --config f.yaml`).
func (p Program) prepare(c Command, cfgPath *string) (*flag.FlagSet, RunFunc) {
	fs := flag.NewFlagSet(p.Name+" "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(cfgPath, "config", *cfgPath, "YAML config file (default: $"+config.ConfigFileEnv+")")
	run := c.Run
	if c.Flags != nil {
		run = c.Flags(fs)
	}
	return fs, run
}

func (p Program) usage(w io.Writer, fs *flag.FlagSet) {
	printf(w, "Usage: %s [--config file.yaml] [command] [command flags]\n\n%s\n\nCommands:\n", p.Name, p.Summary)
	for i, c := range p.Commands {
		def := ""
		if i == 0 {
			def = " (the default)"
		}
		printf(w, "  %-16s %s%s\n", c.Name, c.Summary, def)
	}
	printf(w, "  %-16s %s\n\nFlags:\n", "help [command]", "print this help, or a command's")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	printf(w, "  -h, --help\n    \tprint this help and exit\n")
	envHelp(w)
}

func (p Program) commandUsage(w io.Writer, c Command, fs *flag.FlagSet) {
	printf(w, "Usage: %s %s [flags] %s\n\n%s\n\nFlags:\n", p.Name, c.Name, c.Args, c.Summary)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	envHelp(w)
}

func envHelp(w io.Writer) {
	printf(w, "\nEnvironment variables (every binary reads the same settings; the environment wins over the YAML file):\n")
	_ = config.WriteEnvHelp(w)
}

// Main runs the program as the process (Stdio) and exits with its code.
func (p Program) Main() { os.Exit(p.Stdio()) }
