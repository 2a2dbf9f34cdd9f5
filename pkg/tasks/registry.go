package tasks

import (
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
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

// Schedule is the periodic schedule (upstream's Celery beat table); the
// scheduler binary or, in the embedded mode, the backend runs it.
func Schedule() []queue.Periodic {
	// The ping task stays registered (for manual checks) but is no longer
	// scheduled: the housekeeping jobs prove the scheduler works.
	return maintenance.Schedule()
}
