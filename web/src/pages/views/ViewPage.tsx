// A view (/project/:id/view/:view_id): loads its widget config and renders
// it by widget type — Jenkins builds, Jenkins job analysis, run comparison
// or the accessibility views.
import { useSearchParams, useParams } from 'react-router-dom';
import { Content, PageSection, Title } from '@patternfly/react-core';
import { useApi } from '../../api/useApi';
import type { WidgetConfig } from '../../api/types';
import { Empty, PageLoadState } from '../../components/states';
import { useProject } from '../../project';
import { CompareRuns } from '../compare/CompareRuns';
import { specFromParams, specToParams } from '../compare/compare';
import { AccessibilityView } from './AccessibilityView';
import { JenkinsAnalysisView } from './JenkinsAnalysisView';
import { JenkinsJobView } from './JenkinsJobView';
import { configuredFilters } from './jenkins';
import { VIEW_TITLES } from './viewTypes';

export function ViewPage() {
  const { view_id } = useParams();
  const { data, error, loading, reload } = useApi<WidgetConfig>(view_id ? `widget-config/${view_id}` : null);

  if (!data || error) return <PageLoadState data={data} error={error} loading={loading} reload={reload} />;
  const title = data.title || VIEW_TITLES[data.widget] || data.widget;
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">{title}</Title>
        {data.type !== 'view' && <Content component="p">This is a dashboard widget, not a view.</Content>}
      </PageSection>
      <PageSection>
        <ViewBody view={data} />
      </PageSection>
    </>
  );
}

function ViewBody({ view }: { view: WidgetConfig }) {
  switch (view.widget) {
    case 'jenkins-job-view':
      return <JenkinsJobView key={view.id} view={view} />;
    case 'jenkins-analysis-view':
      return <JenkinsAnalysisView key={view.id} view={view} />;
    case 'compare-runs-view':
      return <CompareRunsView key={view.id} view={view} />;
    case 'accessibility-dashboard-view':
    case 'accessibility-analysis-view':
      return <AccessibilityView key={view.id} view={view} />;
    default:
      return <Empty title="Unsupported view">This UI cannot show views of type “{view.widget}”.</Empty>;
  }
}

function CompareRunsView({ view }: { view: WidgetConfig }) {
  const { projectId } = useProject();
  const [params, setParams] = useSearchParams();
  const fs = configuredFilters(view.params?.additional_filters);
  const defaults: [string, string] | undefined = fs.length >= 2 ? [fs[0], fs[1]] : undefined;
  let spec = specFromParams(params);
  if (!spec && defaults) spec = { mode: 'filters', baseFilter: defaults[0], targetFilter: defaults[1] };
  return <CompareRuns projectId={projectId} spec={spec} defaultFilters={defaults} onCompare={(s) => setParams(specToParams(s))} />;
}
