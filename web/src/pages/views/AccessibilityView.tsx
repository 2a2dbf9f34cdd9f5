// The accessibility views render what the API gives: the dashboard view's
// data is null (upstream has nothing behind it), the analysis view echoes
// its run list, whose axe summary (passes / violations) comes from the
// accessibility-bar-chart widget. Missing data is an empty state.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, CardBody, CardTitle, Form, FormGroup, Grid, GridItem, Label, LabelGroup, TextInput } from '@patternfly/react-core';
import { useApi } from '../../api/useApi';
import type { WidgetConfig } from '../../api/types';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useProject } from '../../project';
import { useRunNames } from '../../components/run/useRunNames';
import { FieldHelp } from '../../components/forms';
import { isUuid } from '../compare/compare';
import { WidgetRenderer } from '../../widgets';

type Donut = [{ x: string; y: number; ratio: number }, { x: string; y: number; ratio: number }, { total: number }] | null;

/** run_list from the URL (?run_list=a,b) or the view's params. */
export function runListOf(params: URLSearchParams, configured: unknown): string[] {
  const fromUrl = params
    .getAll('run_list')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (fromUrl.length) return fromUrl;
  if (Array.isArray(configured)) return configured.map(String).filter(Boolean);
  if (typeof configured === 'string')
    return configured
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

export function AccessibilityView({ view }: { view: WidgetConfig }) {
  const { projectId } = useProject();
  if (view.widget === 'accessibility-dashboard-view') return <AccessibilityDashboard view={view} projectId={projectId} />;
  return <AccessibilityAnalysis view={view} projectId={projectId} />;
}

function AccessibilityDashboard({ view, projectId }: { view: WidgetConfig; projectId: string | null }) {
  const { data, error, loading, reload } = useApi<unknown>(`widget/${view.widget}`);
  if (loading && data === undefined) return <Loading />;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (data === null || data === undefined || (typeof data === 'object' && Object.keys(data as object).length === 0)) {
    return (
      <Empty title="No accessibility data">
        The server has no dashboard data for accessibility runs. Open an accessibility analysis view with a list of runs
        {projectId ? ' of this project' : ''} that uploaded an axe summary (axe_run_data.yaml).
      </Empty>
    );
  }
  return (
    <Card>
      <CardTitle>Data</CardTitle>
      <CardBody>
        <pre style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(data, null, 2)}</pre>
      </CardBody>
    </Card>
  );
}

function AccessibilityAnalysis({ view, projectId }: { view: WidgetConfig; projectId: string | null }) {
  const [params, setParams] = useSearchParams();
  const runs = runListOf(params, view.params?.run_list);
  const [text, setText] = useState(runs.join(', '));
  const bad = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && !isUuid(s));

  const echo = useApi<string[]>(runs.length ? `widget/${view.widget}` : null, { query: { run_list: runs, project: projectId ?? undefined } });
  const runNameOf = useRunNames(Array.isArray(echo.data) ? echo.data : runs, projectId);
  const chart = useApi<Donut>(runs.length ? 'widget/accessibility-bar-chart' : null, { query: { run_list: runs } });

  const form = (
    <Form
      onSubmit={(e) => {
        e.preventDefault();
        if (bad.length) return;
        const next = new URLSearchParams(params);
        next.delete('run_list');
        const ids = text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (ids.length) next.set('run_list', ids.join(','));
        setParams(next);
      }}
    >
      <FormGroup label="Runs to analyse" fieldId="a11y-runs">
        <TextInput
          id="a11y-runs"
          value={text}
          onChange={(_e, v) => setText(v)}
          placeholder="Run ids, comma-separated"
          validated={bad.length ? 'error' : 'default'}
        />
        <FieldHelp error={bad.length ? `Not a run id: ${bad[0]}` : null}>Runs whose axe summary (axe_run_data.yaml) should be analysed.</FieldHelp>
      </FormGroup>
      <div>
        <Button type="submit" variant="secondary" isDisabled={bad.length > 0}>
          Analyse
        </Button>
      </div>
    </Form>
  );

  let body: React.ReactNode;
  if (!runs.length) body = <Empty title="No runs selected">Enter the ids of accessibility runs above.</Empty>;
  else if ((echo.loading && echo.data === undefined) || (chart.loading && chart.data === undefined)) body = <Loading />;
  else if (echo.error || chart.error)
    body = (
      <ErrorState
        error={echo.error || chart.error}
        onRetry={() => {
          echo.reload();
          chart.reload();
        }}
      />
    );
  else {
    const d = chart.data;
    body = (
      <Grid hasGutter>
        <GridItem md={6}>
          <Card isFullHeight>
            <CardTitle>Runs</CardTitle>
            <CardBody>
              <LabelGroup numLabels={10} aria-label="Analysed runs">
                {(echo.data ?? runs).map((id) => (
                  <Label
                    key={id}
                    isCompact
                    render={({ className, content, componentRef }) => (
                      <Link className={className} ref={componentRef} to={projectId ? `/project/${projectId}/runs/${id}` : `/runs/${id}`}>
                        {content}
                      </Link>
                    )}
                  >
                    {runNameOf(id)}
                  </Label>
                ))}
              </LabelGroup>
            </CardBody>
          </Card>
        </GridItem>
        <GridItem md={6}>
          <Card isFullHeight>
            <CardTitle>Passes and violations</CardTitle>
            <CardBody>
              {!d ? (
                <Empty title="No accessibility results">None of these runs has an axe summary artifact.</Empty>
              ) : (
                <WidgetRenderer
                  widget="accessibility-bar-chart"
                  data={d}
                  params={{ run_list: runs }}
                  projectId={projectId}
                  title="Accessibility passes and violations"
                />
              )}
            </CardBody>
          </Card>
        </GridItem>
      </Grid>
    );
  }
  return (
    <>
      <Card style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}>
        <CardBody>{form}</CardBody>
      </Card>
      {body}
    </>
  );
}
