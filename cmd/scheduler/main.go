// Command scheduler runs the Ibutsu scheduler; see package scheduler for what it does.
// `scheduler --help` lists its command and every environment variable.
package main

import (
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/scheduler"
)

func main() { program().Main() }

// program is the whole command line, callable from tests.
func program() cli.Program {
	return cli.Daemon("scheduler", "Enqueues the periodic jobs on their schedule; replicas enqueue each firing once.", "enqueue periodic jobs until SIGTERM", scheduler.Run)
}
