package main

import (
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/climain"
)

// --help answers before anything starts and lists SCHEDULE_PRUNE_OLD_RUNS too; without Redis
// the command refuses to start.
func TestHelp(t *testing.T) { climain.CheckDaemon(t, program(), "SCHEDULE_PRUNE_OLD_RUNS") }
