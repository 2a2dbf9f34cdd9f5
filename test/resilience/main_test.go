package resilience

import (
	"context"
	"os"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
)

// TestMain runs the tests, or — in a process StartBackend re-executed — the
// backend exactly as cmd/backend does (without the web UI, which the
// resilience tests do not need).
func TestMain(m *testing.M) {
	if os.Getenv(ChildEnv) == "backend" {
		os.Exit(cli.Main("backend", nil, os.Stdout, os.Stderr, func(ctx context.Context, env cli.Env) error {
			return backend.Run(ctx, env.Config, env.Log, env.AccessLog)
		}))
	}
	os.Exit(m.Run())
}
