package tasks

import (
	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// Schedule is the periodic schedule (upstream's Celery beat table) as
// configured: each entry's spec comes from cfg (config schedule.*, whose
// defaults are upstream's times) and disabled entries are left out. The
// scheduler binary or, in the embedded mode, the backend runs it. An entry
// cfg does not mention keeps its built-in spec.
func Schedule(cfg config.Schedule) []queue.Periodic {
	// The ping task stays registered (for manual checks) but is not
	// scheduled: the housekeeping jobs prove the scheduler works.
	var out []queue.Periodic
	for _, p := range maintenance.Schedule() {
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
