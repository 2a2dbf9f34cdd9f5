package main

import (
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/climain"
)

// --help answers before anything starts and lists MONITOR_BASIC_AUTH too; without Redis
// the command refuses to start.
func TestHelp(t *testing.T) { climain.CheckDaemon(t, program(), "MONITOR_BASIC_AUTH") }
