// importance-component: per component, the pass rate of each test
// importance (critical, high, medium, low) in the latest builds of a job.
import { useMemo } from 'react';
import { Title } from '@patternfly/react-core';
import { formatPassPercent, importanceView, type ImportanceData } from './model';
import type { WidgetRendererProps } from './types';
import './widgets.css';

export type ImportanceComponentProps = WidgetRendererProps<ImportanceData>;

export function ImportanceComponent({ data, title }: ImportanceComponentProps) {
  const tables = useMemo(() => importanceView(data), [data]);
  return (
    <div style={{ display: 'grid', gap: 'var(--pf-t--global--spacer--md)' }}>
      {tables.map((t) => (
        <section key={t.component} aria-label={`${title ?? 'Importance by component'}: ${t.component}`}>
          <Title headingLevel="h3" size="md">
            {t.component}
          </Title>
          <div className="ibutsu-heat-scroll" tabIndex={0} role="region" aria-label={`${t.component} (scrollable)`}>
            <table className="ibutsu-heat-table" data-testid="importance-table" data-component={t.component}>
              <caption className="pf-v6-screen-reader">{`Pass rate of ${t.component} tests by importance and build`}</caption>
              <thead>
                <tr>
                  <th scope="col" style={{ textAlign: 'start' }}>
                    Importance
                  </th>
                  {t.builds.map((b) => (
                    <th scope="col" key={b}>
                      <span className="pf-v6-screen-reader">Build </span>
                      {b}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {t.rows.map((r) => (
                  <tr key={r.importance}>
                    <th scope="row">{r.importance}</th>
                    {r.cells.map((c, i) => (
                      <td
                        key={t.builds[i]}
                        className={c.percent === null ? 'ibutsu-heat--blank' : `ibutsu-heat--${c.level}`}
                        title={c.percent === null ? 'No results' : `${formatPassPercent(c.percent)} of ${c.results} results passed`}
                      >
                        {c.percent === null ? '–' : formatPassPercent(c.percent)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}

export default ImportanceComponent;
