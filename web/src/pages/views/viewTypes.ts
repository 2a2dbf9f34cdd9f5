// The view types this UI can show (ViewPage), with their names in the UI.
export const VIEW_TITLES: Record<string, string> = {
  'jenkins-job-view': 'Jenkins jobs',
  'jenkins-analysis-view': 'Jenkins job analysis',
  'compare-runs-view': 'Compare runs',
  'accessibility-dashboard-view': 'Accessibility dashboard',
  'accessibility-analysis-view': 'Accessibility analysis',
};
