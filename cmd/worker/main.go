// Command worker runs the Ibutsu worker; see package worker for what it does.
// `worker --help` lists its command and every environment variable.
package main

import (
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/worker"
)

func main() { program().Main() }

// program is the whole command line, callable from tests.
func program() cli.Program {
	return cli.Daemon("worker", "Executes queued background tasks (run summaries, imports, large queries, account e-mail) from Redis.", "process queued tasks until SIGTERM", worker.Run)
}
