package config

import (
	"strings"

	"github.com/robfig/cron/v3"
)

// ScheduleEntry times one periodic task.
type ScheduleEntry struct {
	// Spec is a cron expression in UTC (minute hour day-of-month month
	// day-of-week) or a descriptor such as "@every 30m" or "@daily".
	Spec string
	// Enabled false leaves the task out of the schedule.
	Enabled bool
}

// Schedule maps upstream's beat entry names (prune-old-import-files,
// prune-old-artifact-files, prune-old-results, prune-old-runs,
// sync-aborted-runs) and our compact-result-counts,
// repair-stuck-imports, fingerprint-backfill, webhook-sweep, webhook-prune, finish-quiet-runs, flaky-refresh,
// artifact-objects and s3-watch to their timing; the
// defaults are upstream's. The
// scheduler binary and the embedded backend's in-process cron both read it.
type Schedule map[string]ScheduleEntry

// scheduleEntries are the configurable entries' config key parts, in the
// order they are checked (read-only); the entry name is the part with
// dashes.
var scheduleEntries = []string{"prune_old_import_files", "prune_old_artifact_files", "prune_old_results", "prune_old_runs", "sync_aborted_runs", "compact_result_counts", "repair_stuck_imports", "fingerprint_backfill", "webhook_sweep", "webhook_prune", "finish_quiet_runs", "flaky_refresh", "artifact_objects", "s3_watch"}

// schedule reads every entry and rejects a spec the cron parser (the one
// asynq's scheduler and the in-process cron use) does not accept, so a typo
// stops the process at start instead of silently never pruning.
func (p *parser) schedule() Schedule {
	out := Schedule{}
	for _, part := range scheduleEntries {
		name := strings.ReplaceAll(part, "_", "-")
		k := "schedule." + part + "."
		e := ScheduleEntry{Spec: p.str(k + "spec"), Enabled: p.boolean(k + "enabled")}
		if e.Enabled {
			if _, err := cron.ParseStandard(e.Spec); err != nil {
				p.fail(k+"spec", "must be a cron spec like \"0 2 * * *\" or \"@every 30m\" (UTC), got %q: %s", e.Spec, strings.TrimSpace(err.Error()))
			}
		}
		out[name] = e
	}
	return out
}
