// run-matrix: the latest runs (rows) against the values of chosen result
// fields (columns); each cell the pass rate of that run's results with that
// value, linking to the run.
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { formatPassPercent, runLink, runMatrixView, type RunMatrixData } from './model';
import { linkProject, type WidgetRendererProps } from './types';
import './widgets.css';

/** "Nov 21, 04:00" — short enough for a row header; the full id is in the title. */
function shortDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export type RunMatrixProps = WidgetRendererProps<RunMatrixData>;

export function RunMatrix(props: RunMatrixProps) {
  const v = useMemo(() => runMatrixView(props.data), [props.data]);
  const pid = linkProject(props);
  const name = props.title ?? 'Run matrix';
  return (
    <div className="ibutsu-heat-scroll" tabIndex={0} role="region" aria-label={`${name} (scrollable)`}>
      <table className="ibutsu-heat-table" aria-label={name} data-testid="run-matrix">
        <caption className="pf-v6-screen-reader">Pass rate of each run's results per field value, newest run first</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2} style={{ textAlign: 'start' }}>
              Run
            </th>
            {v.fields.map((f) => (
              <th scope="colgroup" colSpan={f.span} key={f.field}>
                {f.field}
              </th>
            ))}
          </tr>
          <tr>
            {v.columns.map((c) => (
              <th scope="col" key={`${c.field}=${c.value}`}>
                {c.value}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {v.rows.map((r) => (
            <tr key={r.runId}>
              <th scope="row">
                <Link to={runLink(r.runId, pid)} title={`Run ${r.runId}`}>
                  {shortDate(r.startTime)}
                </Link>
              </th>
              {r.cells.map((c, i) => {
                const col = v.columns[i];
                const key = `${col.field}=${col.value}`;
                if (!c)
                  return (
                    <td key={key} className="ibutsu-heat--blank" aria-label="no results">
                      –
                    </td>
                  );
                return (
                  <td key={key} className={`ibutsu-heat--${c.level}`} title={`${col.field} ${col.value}: ${c.passed} of ${c.total} passed`}>
                    <Link to={runLink(r.runId, pid)}>{formatPassPercent(c.percent)}</Link>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default RunMatrix;
