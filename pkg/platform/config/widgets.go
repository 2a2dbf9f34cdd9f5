package config

// Widgets are the caps upstream hard-codes in constants.py; each bounds how
// much one widget request may read, so a deployment with bigger (or
// smaller) databases can tune them without a rebuild.
type Widgets struct {
	// HeatmapMaxBuilds caps the builds of the heatmap the Jenkins analysis
	// view shows (HEATMAP_MAX_BUILDS).
	HeatmapMaxBuilds int
	// BarchartMaxBuilds is the build count the Jenkins charts' run limit is
	// scaled by (BARCHART_MAX_BUILDS): they read JobViewRunLimit /
	// BarchartMaxBuilds runs per requested build.
	BarchartMaxBuilds int
	// HeatmapRunLimit is how many runs the filter heatmap reads for
	// HeatmapMaxBuilds builds (HEATMAP_RUN_LIMIT), scaled per build.
	HeatmapRunLimit int
	// JobViewRunLimit is how many runs the Jenkins charts aggregate for
	// BarchartMaxBuilds builds (JJV_RUN_LIMIT), scaled per build.
	JobViewRunLimit int
	// FilterModeLimit caps the distinct values result-aggregator returns
	// for filter drop-downs (FILTER_MODE_LIMIT).
	FilterModeLimit int
	// RunMatrixMaxRuns caps the runs (rows) of the run-matrix widget.
	RunMatrixMaxRuns int
}

func (p *parser) widgets() Widgets {
	return Widgets{
		HeatmapMaxBuilds:  p.posInt("widgets.heatmap_max_builds"),
		BarchartMaxBuilds: p.posInt("widgets.barchart_max_builds"),
		HeatmapRunLimit:   p.posInt("widgets.heatmap_run_limit"),
		JobViewRunLimit:   p.posInt("widgets.job_view_run_limit"),
		FilterModeLimit:   p.posInt("widgets.filter_mode_limit"),
		RunMatrixMaxRuns:  p.posInt("widgets.run_matrix_max_runs"),
	}
}
