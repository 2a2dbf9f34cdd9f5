// The view types this UI can show (ViewPage), with their names in the UI.
export const VIEW_TITLES: Record<string, string> = {
  'jenkins-job-view': 'Jenkins jobs',
  'jenkins-analysis-view': 'Jenkins job analysis',
  'compare-runs-view': 'Compare runs',
  'accessibility-dashboard-view': 'Accessibility dashboard',
  'accessibility-analysis-view': 'Accessibility analysis',
};

/** What each view shows, in the "Add view" dialog. */
export const VIEW_DESCRIPTIONS: Record<string, string> = {
  'jenkins-job-view': 'Every build of the project’s Jenkins jobs with its results, filterable by job and build number.',
  'jenkins-analysis-view': 'One Jenkins job over its recent builds: pass-rate heatmap by component, overall health and build durations.',
  'compare-runs-view': 'Two runs, or two filtered sets of runs, side by side: new failures, fixed tests and duration changes.',
  'accessibility-dashboard-view': 'Accessibility (axe) results of the project’s runs.',
  'accessibility-analysis-view': 'Accessibility findings of chosen runs: violations and passes.',
};
