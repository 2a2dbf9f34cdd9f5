package tasks

import (
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// Schedule is the periodic schedule (upstream's Celery beat table) as
// configured: builtin lists the entries the domain packages declare (their
// built-in specs), each entry's spec comes from cfg (config schedule.*, whose
// defaults are upstream's times) and disabled entries are left out. The
// scheduler binary or, in the embedded mode, the backend runs it. An entry
// cfg does not mention keeps its built-in spec. The composition root
// (package wiring) gathers builtin, so this package imports no domain.
func Schedule(cfg config.Schedule, builtin []queue.Periodic) []queue.Periodic {
	// The ping task stays registered (for manual checks) but is not
	// scheduled: the housekeeping jobs prove the scheduler works.
	var out []queue.Periodic
	for _, p := range builtin {
		if e, ok := cfg[p.Name]; ok {
			if !e.Enabled {
				continue
			}
			p.Spec = e.Spec
		}
		out = append(out, p)
	}
	return out
}
