package tasks

import (
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// Deps are what task handlers need; grows as domains add tasks.
type Deps struct {
	Log *slog.Logger
}

// NewRegistry registers every task type the system runs.
func NewRegistry(d Deps) *queue.Registry {
	reg := queue.NewRegistry()
	RegisterPing(reg, d.Log)
	return reg
}
