// A test's history: the latest 50 results of the same test (same project,
// optionally the same component and environment) as a pass/fail strip of
// linked squares and a duration trend chart.
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Chart, ChartAxis, ChartLine, ChartScatter, ChartVoronoiContainer } from '@patternfly/react-charts/victory';
import { Button, Flex, FlexItem, Switch, Title, Tooltip } from '@patternfly/react-core';
import { useApi } from '../../../api/useApi';
import type { Pagination, Result } from '../../../api/types';
import { formatDate, formatDuration, formatPercent } from '../../../components/format';
import { Empty, ErrorState, Loading } from '../../../components/states';
import { useWidth } from '../../../widgets/charts/useWidth';
import { historyFilters, historyPassRate, historyPoints, type HistoryPoint } from './history';
import '../../runs/run/run.css';
import '../../../widgets/widgets.css';

export const HISTORY_SIZE = 50;

const STATUS_COLORS: Record<string, string> = {
  passed: 'var(--pf-t--global--color--status--success--default)',
  failed: 'var(--pf-t--global--color--status--danger--default)',
  error: 'var(--pf-t--global--color--status--warning--default)',
  skipped: 'var(--pf-t--global--color--nonstatus--gray--default)',
  xfailed: 'var(--pf-t--global--color--nonstatus--purple--default)',
  xpassed: 'var(--pf-t--global--color--nonstatus--teal--default)',
};
const colorOf = (s: string) => STATUS_COLORS[s] ?? 'var(--pf-t--global--color--nonstatus--blue--default)';

function Strip({ points, base }: { points: HistoryPoint[]; base: string }) {
  return (
    <ul className="ibutsu-strip" aria-label="Outcomes, oldest first" data-testid="history-strip">
      {points.map((p) => {
        const text = `${p.result} · ${formatDate(p.start)} · ${formatDuration(p.duration)}${p.current ? ' (this result)' : ''}`;
        return (
          <li key={p.id}>
            <Tooltip content={text}>
              <Link
                to={`${base}/results/${p.id}`}
                className={`ibutsu-strip__cell${p.current ? ' ibutsu-strip__cell--current' : ''}`}
                style={{ background: colorOf(p.result) }}
                aria-label={text}
                aria-current={p.current ? 'page' : undefined}
                data-result={p.result}
              />
            </Tooltip>
          </li>
        );
      })}
    </ul>
  );
}

function DurationChart({ points }: { points: HistoryPoint[] }) {
  const [ref, width] = useWidth<HTMLDivElement>(640);
  const data = points
    .map((p, i) => ({ x: i + 1, y: p.duration, result: p.result, start: p.start, current: p.current }))
    .filter((d): d is typeof d & { y: number } => d.y !== null);
  if (data.length < 2) return <p className="ibutsu-subtle">Not enough timed results for a trend.</p>;
  const desc = data.map((d) => `${formatDate(d.start)}: ${formatDuration(d.y)} (${d.result})`).join('; ');
  type D = (typeof data)[number];
  return (
    <div className="ibutsu-chart" ref={ref} data-testid="duration-chart">
      <Chart
        ariaTitle="Duration trend"
        ariaDesc={desc}
        width={width}
        height={240}
        padding={{ top: 16, bottom: 48, left: 72, right: 24 }}
        domainPadding={{ x: 10, y: 10 }}
        containerComponent={
          <ChartVoronoiContainer
            labels={({ datum }: { datum: D }) => `${formatDate(datum.start)}\n${formatDuration(datum.y)} · ${datum.result}`}
            constrainToVisibleArea
            voronoiBlacklist={['duration-line']}
          />
        }
      >
        <ChartAxis label="Run (oldest → newest)" tickFormat={() => ''} style={{ axisLabel: { padding: 20 } }} />
        <ChartAxis
          dependentAxis
          showGrid
          label="Seconds"
          tickFormat={(t: number) => (t >= 100 ? String(Math.round(t)) : String(Math.round(t * 100) / 100))}
          style={{ axisLabel: { padding: 52 } }}
        />
        <ChartLine name="duration-line" data={data} style={{ data: { stroke: 'var(--pf-t--global--color--brand--default)', strokeWidth: 2 } }} />
        <ChartScatter
          name="duration-points"
          data={data}
          size={({ datum }: { datum?: D }) => (datum?.current ? 6 : 4)}
          style={{ data: { fill: ({ datum }: { datum?: D }) => colorOf(datum?.result ?? '') } }}
        />
      </Chart>
    </div>
  );
}

export function HistoryTab({ result, base }: { result: Result; base: string }) {
  const [sameComponent, setSameComponent] = useState(true);
  const [sameEnv, setSameEnv] = useState(true);
  const filters = historyFilters(result, { sameComponent, sameEnv });
  const { data, error, loading, reload } = useApi<{ results: Result[]; pagination: Pagination }>('result', {
    query: { filter: filters, pageSize: HISTORY_SIZE },
  });
  const points = useMemo(() => historyPoints(data?.results ?? [], result.id), [data, result.id]);
  const rate = historyPassRate(points);
  const listLink = `${base}/results?${new URLSearchParams(filters.filter((f) => !f.startsWith('project_id')).map((f) => ['filter', f]))}`;
  return (
    <>
      <Flex spaceItems={{ default: 'spaceItemsLg' }} alignItems={{ default: 'alignItemsCenter' }} style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}>
        {result.component && (
          <FlexItem>
            <Switch id="history-component" label={`Same component (${result.component})`} isChecked={sameComponent} onChange={(_e, v) => setSameComponent(v)} />
          </FlexItem>
        )}
        {result.env && (
          <FlexItem>
            <Switch id="history-env" label={`Same environment (${result.env})`} isChecked={sameEnv} onChange={(_e, v) => setSameEnv(v)} />
          </FlexItem>
        )}
        <FlexItem align={{ default: 'alignRight' }}>
          <Button variant="link" component={(p: object) => <Link {...p} to={listLink} />}>
            Open in Test Results
          </Button>
        </FlexItem>
      </Flex>
      {loading ? (
        <Loading label="Loading the history" />
      ) : error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : points.length === 0 ? (
        <Empty title="No history">No other results of this test were found.</Empty>
      ) : (
        <>
          <Title headingLevel="h2" size="lg" style={{ marginBottom: 'var(--pf-t--global--spacer--sm)' }}>
            Last {points.length} {points.length === 1 ? 'result' : 'results'}
            {rate !== null && (
              <span className="ibutsu-subtle ibutsu-normal" data-testid="history-pass-rate">
                {' '}
                · {formatPercent(rate)} passed
              </span>
            )}
          </Title>
          <Strip points={points} base={base} />
          <Title headingLevel="h2" size="lg" style={{ margin: 'var(--pf-t--global--spacer--lg) 0 var(--pf-t--global--spacer--sm)' }}>
            Duration
          </Title>
          <DurationChart points={points} />
        </>
      )}
    </>
  );
}
