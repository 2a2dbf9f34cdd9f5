package main

import (
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/climain"
)

// --help answers before anything starts and lists WORKER_HEALTH_PORT too; without Redis
// the command refuses to start.
func TestHelp(t *testing.T) { climain.CheckDaemon(t, program(), "WORKER_HEALTH_PORT") }
