// A heatmap as a semantic table: one row per group (component, env, ...),
// a trend column, then one cell per build coloured by pass rate, showing
// the percentage and linking to the run. Shared by jenkins-heatmap and
// filter-heatmap (and the Jenkins analysis view).
import { Icon } from '@patternfly/react-core';
import { ArrowDownIcon, ArrowRightIcon, ArrowUpIcon } from '@patternfly/react-icons';
import { Link } from 'react-router-dom';
import { useMemo } from 'react';
import { formatPassPercent, heatmapView, runLink, trendText, type HeatmapData, type HeatmapView, type TrendKind } from './model';
import { linkProject, type WidgetRendererProps } from './types';
import './widgets.css';

const trendIcon: Record<TrendKind, { icon: React.ReactNode; status: 'success' | 'warning' | 'danger' | 'info' }> = {
  up: { icon: <ArrowUpIcon />, status: 'success' },
  perfect: { icon: <ArrowRightIcon />, status: 'success' },
  flat: { icon: <ArrowRightIcon />, status: 'info' },
  down: { icon: <ArrowDownIcon />, status: 'danger' },
};

export interface HeatmapTableProps {
  view: HeatmapView;
  /** Header of the first column: the group field ("component"). */
  groupLabel: string;
  /** What a column is: "Build" (jenkins) or "Run" (filter heatmap). */
  columnLabel: string;
  projectId: string | null;
  /** Accessible name of the table. */
  title?: string;
  caption: string;
}

export function HeatmapTable({ view, groupLabel, columnLabel, projectId, title, caption }: HeatmapTableProps) {
  const hasFailed = view.rows.some((r) => r.cells.some((c) => c && (c.percent === null || !c.runId)));
  return (
    <div>
      <div className="ibutsu-heat-scroll" tabIndex={0} role="region" aria-label={`${title ?? 'Heatmap'} (scrollable)`}>
        <table className="ibutsu-heat-table" aria-label={title ?? 'Heatmap'} data-testid="heatmap">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: 'start' }}>
                {groupLabel}
              </th>
              <th scope="col">Trend</th>
              {view.columns.map((c) => (
                <th scope="col" key={c} data-column={c}>
                  <span className="pf-v6-screen-reader">{columnLabel} </span>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.rows.map((r) => {
              const t = trendIcon[r.trend];
              const slope = Math.round(r.slope * 100) / 100;
              return (
                <tr key={r.group} data-group={r.group}>
                  <th scope="row" title={r.group}>
                    {r.group}
                  </th>
                  <td className="ibutsu-heat-trend" title={`${trendText[r.trend]} (slope ${slope})`} data-trend={r.trend}>
                    <Icon status={t.status} size="md">
                      {t.icon}
                    </Icon>
                    <span className="pf-v6-screen-reader">{`${trendText[r.trend]} (slope ${slope})`}</span>
                  </td>
                  {r.cells.map((c, i) => {
                    const col = view.columns[i];
                    if (!c) return <td key={col} className="ibutsu-heat--blank" aria-label={`${columnLabel} ${col}: no run`} />;
                    if (c.percent === null || !c.runId) {
                      return (
                        <td key={col} className="ibutsu-heat--none" title={`${columnLabel} ${c.label}: build failed`} data-run="">
                          n/a<span className="pf-v6-screen-reader"> (build failed)</span>
                        </td>
                      );
                    }
                    const note = c.annotations.length ? `\n${c.annotations.join('\n')}` : '';
                    return (
                      <td
                        key={col}
                        className={`ibutsu-heat--${c.level}${c.annotations.length ? ' ibutsu-heat--annotated' : ''}`}
                        title={`${r.group}, ${columnLabel.toLowerCase()} ${c.label}: ${formatPassPercent(c.percent)} passed${note}`}
                        data-run={c.runId}
                        data-percent={c.percent}
                      >
                        <Link to={runLink(c.runId, projectId)}>{formatPassPercent(c.percent)}</Link>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="ibutsu-heat-legend" aria-hidden="true">
        <span className="ibutsu-heat--high">&gt; 85%</span>
        <span className="ibutsu-heat--mid">50–85%</span>
        <span className="ibutsu-heat--low">&lt; 50%</span>
        {hasFailed && <span className="ibutsu-heat--none">n/a = build failed</span>}
      </div>
    </div>
  );
}

interface HeatmapWidgetProps {
  widget: WidgetRendererProps<HeatmapData>;
  /** How columns line up (see heatmapView). */
  mode: 'build' | 'position';
  columnLabel: string;
  defaultTitle: string;
  /** What the columns are, in the caption: "builds of job", "matching runs". */
  columns: string;
}

/** A heatmap widget (jenkins-heatmap, filter-heatmap): pass rate by params.group_field over the latest columns. */
export function HeatmapWidget({ widget, mode, columnLabel, defaultTitle, columns }: HeatmapWidgetProps) {
  const view = useMemo(() => heatmapView(widget.data, mode), [widget.data, mode]);
  const group = String(widget.params.group_field || 'component');
  return (
    <HeatmapTable
      view={view}
      groupLabel={group}
      columnLabel={columnLabel}
      projectId={linkProject(widget)}
      title={widget.title ?? defaultTitle}
      caption={`Pass rate by ${group} for the latest ${columns}, oldest first`}
    />
  );
}
