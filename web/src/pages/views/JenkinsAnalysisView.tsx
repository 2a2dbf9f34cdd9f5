// jenkins-analysis-view: one Jenkins job over its latest builds — a heatmap
// of pass rates per component, the overall health (result counts per build)
// and build durations. The view widget returns the three charts' parameters;
// the charts themselves are the shared widget renderers.
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Button,
  Card,
  CardBody,
  Flex,
  FlexItem,
  FormSelect,
  FormSelectOption,
  Switch,
  Tab,
  TabTitleText,
  Tabs,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { useApi } from '../../api/useApi';
import type { WidgetConfig } from '../../api/types';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useProject } from '../../project';
import { WidgetView } from '../../widgets';

interface AnalysisParams {
  barchart_params: Record<string, unknown>;
  heatmap_params: Record<string, unknown>;
  linechart_params: Record<string, unknown>;
}

const SHORT = [10, 20, 30, 40];
const LONG = [...SHORT, 70, 150];
type TabKey = 'heatmap' | 'health' | 'durations';

/** Builds to show: the URL's, else the view's, else 20; the heatmap caps at 40. */
export function buildsOf(url: string | null, configured: unknown): number {
  const n = Number(url ?? configured);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 150) : 20;
}

export function JenkinsAnalysisView({ view }: { view: WidgetConfig }) {
  const { projectId } = useProject();
  const [params, setParams] = useSearchParams();
  const job = params.get('job_name') ?? (typeof view.params?.job_name === 'string' ? view.params.job_name : '');
  const builds = buildsOf(params.get('builds'), view.params?.builds);
  const countSkips = params.get('count_skips') !== 'false';
  const tab = (['heatmap', 'health', 'durations'].includes(params.get('tab') ?? '') ? params.get('tab') : 'heatmap') as TabKey;
  const [jobText, setJobText] = useState(job);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const { data, error, loading, reload } = useApi<AnalysisParams>(job ? `widget/${view.widget}` : null, {
    query: { job_name: job, builds, project: projectId ?? undefined },
  });

  const buildOptions = tab === 'heatmap' ? SHORT : LONG;
  const shownBuilds = tab === 'heatmap' ? Math.min(builds, 40) : builds;

  const toolbar = (
    <Toolbar>
      <ToolbarContent>
        <ToolbarItem>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              set({ job_name: jobText.trim() || null });
            }}
          >
            <Flex gap={{ default: 'gapSm' }} flexWrap={{ default: 'nowrap' }}>
              <FlexItem>
                <TextInput
                  aria-label="Jenkins job name"
                  placeholder="Jenkins job name"
                  value={jobText}
                  onChange={(_e, v) => setJobText(v)}
                  style={{ minWidth: '14rem' }}
                />
              </FlexItem>
              <FlexItem>
                <Button type="submit" variant="secondary" isDisabled={jobText.trim() === job}>
                  Analyse
                </Button>
              </FlexItem>
            </Flex>
          </form>
        </ToolbarItem>
        <ToolbarItem>
          <Flex gap={{ default: 'gapSm' }} alignItems={{ default: 'alignItemsCenter' }} flexWrap={{ default: 'nowrap' }}>
            <FlexItem>
              <label htmlFor="analysis-builds">Builds</label>
            </FlexItem>
            <FlexItem>
              <FormSelect
                id="analysis-builds"
                value={String(shownBuilds)}
                onChange={(_e, v) => set({ builds: v })}
                aria-label="Number of builds"
                style={{ width: '6rem' }}
              >
                {[...new Set([...buildOptions, shownBuilds])]
                  .sort((a, b) => a - b)
                  .map((n) => (
                    <FormSelectOption key={n} value={String(n)} label={String(n)} />
                  ))}
              </FormSelect>
            </FlexItem>
          </Flex>
        </ToolbarItem>
        {tab === 'heatmap' && (
          <ToolbarItem alignSelf="center">
            <Switch
              id="analysis-count-skips"
              label="Count skips as failures"
              isChecked={countSkips}
              onChange={(_e, v) => set({ count_skips: v ? null : 'false' })}
            />
          </ToolbarItem>
        )}
      </ToolbarContent>
    </Toolbar>
  );

  let body: React.ReactNode;
  if (!job) body = <Empty title="Choose a Jenkins job">Enter the job name (metadata.jenkins.job_name) to analyse its latest builds.</Empty>;
  else if (loading && !data) body = <Loading />;
  else if (error) body = <ErrorState error={error} onRetry={reload} />;
  else if (data) {
    const heat = { ...data.heatmap_params, count_skips: countSkips };
    body = (
      <Tabs activeKey={tab} onSelect={(_e, k) => set({ tab: k === 'heatmap' ? null : String(k) })} aria-label="Analysis" mountOnEnter unmountOnExit>
        <Tab eventKey="heatmap" title={<TabTitleText>Heatmap</TabTitleText>}>
          <div data-testid="analysis-heatmap" style={{ paddingTop: 'var(--pf-t--global--spacer--md)' }}>
            <WidgetView widget="jenkins-heatmap" params={heat} projectId={projectId} title={`Pass rate by component, ${job}`} />
          </div>
        </Tab>
        <Tab eventKey="health" title={<TabTitleText>Overall health</TabTitleText>}>
          <div data-testid="analysis-health" style={{ paddingTop: 'var(--pf-t--global--spacer--md)' }}>
            <WidgetView widget="jenkins-bar-chart" params={data.barchart_params} projectId={projectId} title={`Test counts for ${job}`} />
          </div>
        </Tab>
        <Tab eventKey="durations" title={<TabTitleText>Build durations</TabTitleText>}>
          <div data-testid="analysis-durations" style={{ paddingTop: 'var(--pf-t--global--spacer--md)' }}>
            <WidgetView widget="jenkins-line-chart" params={data.linechart_params} projectId={projectId} title={`Durations for ${job}`} />
            <p style={{ marginTop: 'var(--pf-t--global--spacer--sm)', fontSize: 'var(--pf-t--global--font--size--sm)' }}>
              Duration is the wall-clock time of the build; total execution time, when shown, sums the durations of its runs (which may run in parallel).
            </p>
          </div>
        </Tab>
      </Tabs>
    );
  }
  return (
    <Card>
      <CardBody>
        {toolbar}
        {body}
      </CardBody>
    </Card>
  );
}
