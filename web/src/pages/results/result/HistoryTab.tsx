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
import { firstFailure, historyFilters, historyPassRate, historyPoints, type HistoryPoint } from './history';
import { shortTime } from '../../../components/run/runName';
import { useRunNames } from '../../../components/run/useRunNames';
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

/** A point's build for people: the Jenkins build, else its run's readable name, else its time. */
type LabelOf = (p: HistoryPoint) => string;

/** A short axis tick: "#42" for a Jenkins build, else the short start time. */
function tickOf(p: HistoryPoint): string {
  return p.build ? p.build.slice(p.build.lastIndexOf('#')) : shortTime(p.start);
}

function Strip({ points, base, labelOf, first }: { points: HistoryPoint[]; base: string; labelOf: LabelOf; first: string | null }) {
  return (
    <ul className="ibutsu-strip" aria-label="Outcomes, oldest first" data-testid="history-strip">
      {points.map((p) => {
        const text = `${labelOf(p)} · ${p.result} · ${formatDate(p.start)} · ${formatDuration(p.duration)}${p.current ? ' (this result)' : ''}${p.id === first ? ' (first failure)' : ''}`;
        return (
          <li key={p.id}>
            <Tooltip content={text}>
              <Link
                to={`${base}/results/${p.id}`}
                className={`ibutsu-strip__cell${p.current ? ' ibutsu-strip__cell--current' : ''}${p.id === first ? ' ibutsu-strip__cell--first' : ''}`}
                data-first-failure={p.id === first ? 'true' : undefined}
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

function DurationChart({ points, labelOf, first }: { points: HistoryPoint[]; labelOf: LabelOf; first: string | null }) {
  const [ref, width] = useWidth<HTMLDivElement>(640);
  const data = points
    .map((p, i) => ({ x: i + 1, y: p.duration, result: p.result, start: p.start, current: p.current, buildName: labelOf(p) }))
    .filter((d): d is typeof d & { y: number } => d.y !== null);
  if (data.length < 2) return <p className="ibutsu-subtle">Not enough timed results for a trend.</p>;
  const desc = data.map((d) => `${d.buildName}: ${formatDuration(d.y)} (${d.result})`).join('; ');
  // About eight build labels along the axis, always including the first failure.
  const step = Math.max(1, Math.ceil(points.length / 8));
  const firstX = first ? points.findIndex((p) => p.id === first) + 1 : 0;
  const ticks = points.map((_p, i) => i + 1).filter((x) => (x - 1) % step === 0 || x === firstX);
  const maxY = Math.max(...data.map((d) => d.y));
  type D = (typeof data)[number];
  return (
    <div className="ibutsu-chart" ref={ref} data-testid="duration-chart">
      <Chart
        ariaTitle="Duration trend"
        ariaDesc={desc}
        width={width}
        height={240}
        padding={{ top: 16, bottom: 56, left: 72, right: 24 }}
        domainPadding={{ x: 10, y: 10 }}
        containerComponent={
          <ChartVoronoiContainer
            labels={({ datum }: { datum: D }) => `${datum.buildName}\n${formatDate(datum.start)}\n${formatDuration(datum.y)} · ${datum.result}`}
            constrainToVisibleArea
            voronoiBlacklist={['duration-line', 'first-failure']}
          />
        }
      >
        <ChartAxis
          label="Build (oldest → newest)"
          tickValues={ticks}
          tickFormat={(x: number) => (points[x - 1] ? tickOf(points[x - 1]) + (x === firstX ? ' ⚑' : '') : '')}
          style={{ axisLabel: { padding: 30 }, tickLabels: { fontSize: 11 } }}
        />
        <ChartAxis
          dependentAxis
          showGrid
          label="Seconds"
          tickFormat={(t: number) => (t >= 100 ? String(Math.round(t)) : String(Math.round(t * 100) / 100))}
          style={{ axisLabel: { padding: 52 } }}
        />
        {firstX > 0 && (
          <ChartLine
            name="first-failure"
            data={[
              { x: firstX, y: 0 },
              { x: firstX, y: maxY },
            ]}
            style={{ data: { stroke: 'var(--pf-t--global--color--status--danger--default)', strokeDasharray: '4,4', strokeWidth: 1 } }}
          />
        )}
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
  const runNameOf = useRunNames(
    points.map((p) => (p.build ? null : p.runId)),
    result.project_id ?? null,
  );
  const labelOf: LabelOf = (p) => p.build ?? (p.runId ? runNameOf(p.runId) : formatDate(p.start));
  const streak = firstFailure(points);
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
          {streak && (
            <p data-testid="first-failure" style={{ marginBottom: 'var(--pf-t--global--spacer--sm)' }}>
              {streak.sinceBefore ? 'Failing in every result shown, since at least ' : 'First failed in '}
              <Link to={`${base}/results/${streak.point.id}`}>{labelOf(streak.point)}</Link>
              {streak.point.current ? ' (this result)' : ''}
            </p>
          )}
          <Strip points={points} base={base} labelOf={labelOf} first={streak?.point.id ?? null} />
          <Title headingLevel="h2" size="lg" style={{ margin: 'var(--pf-t--global--spacer--lg) 0 var(--pf-t--global--spacer--sm)' }}>
            Duration
          </Title>
          <DurationChart points={points} labelOf={labelOf} first={streak?.point.id ?? null} />
        </>
      )}
    </>
  );
}
