package widget

import "github.com/ibutsu-go/ibutsu/pkg/platform/config"

// DefaultLimits returns upstream's caps (constants.py), used for any limit
// the handler is not given; they equal the config defaults.
func DefaultLimits() config.Widgets {
	return config.Widgets{
		HeatmapMaxBuilds:  40,
		BarchartMaxBuilds: 150,
		HeatmapRunLimit:   3000,
		JobViewRunLimit:   8000,
		FilterModeLimit:   200,
		RunMatrixMaxRuns:  100,
	}
}

// Option adjusts the caps a Handler applies.
type Option func(*config.Widgets)

// WithLimits sets the widget caps (config widgets.*); zero fields keep
// DefaultLimits.
func WithLimits(l config.Widgets) Option {
	return func(lim *config.Widgets) { *lim = withDefaults(l) }
}

// withDefaults fills every non-positive cap from DefaultLimits.
func withDefaults(l config.Widgets) config.Widgets {
	pick := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	d := DefaultLimits()
	return config.Widgets{
		HeatmapMaxBuilds:  pick(l.HeatmapMaxBuilds, d.HeatmapMaxBuilds),
		BarchartMaxBuilds: pick(l.BarchartMaxBuilds, d.BarchartMaxBuilds),
		HeatmapRunLimit:   pick(l.HeatmapRunLimit, d.HeatmapRunLimit),
		JobViewRunLimit:   pick(l.JobViewRunLimit, d.JobViewRunLimit),
		FilterModeLimit:   pick(l.FilterModeLimit, d.FilterModeLimit),
		RunMatrixMaxRuns:  pick(l.RunMatrixMaxRuns, d.RunMatrixMaxRuns),
	}
}
