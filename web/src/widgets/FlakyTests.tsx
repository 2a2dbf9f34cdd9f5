// flaky-tests: the flakiest tests of the project (or of the user's
// projects), highest score first; each links to the project's Flaky tests
// page (docs/triage.md#flaky-tests).
import { Link } from 'react-router-dom';
import type { FlakyTestsData } from './model';
import { linkProject, type WidgetRendererProps } from './types';
import { reasonText, share, whereText } from '../pages/flaky/flaky';
import './widgets.css';

export type FlakyTestsProps = WidgetRendererProps<FlakyTestsData>;

export function FlakyTests(props: FlakyTestsProps) {
  const pid = linkProject(props);
  const name = props.title ?? 'Flaky tests';
  const tests = props.data?.tests ?? [];
  return (
    <div className="ibutsu-heat-scroll" tabIndex={0} role="region" aria-label={`${name} (scrollable)`}>
      <table className="ibutsu-heat-table ibutsu-flaky-table" aria-label={name} data-testid="flaky-tests-widget">
        <caption className="pf-v6-screen-reader">{props.data?.total ?? 0} flaky tests, highest score first</caption>
        <thead>
          <tr>
            <th scope="col" style={{ textAlign: 'start' }}>
              Test
            </th>
            <th scope="col">Component · env</th>
            <th scope="col">Score</th>
            <th scope="col">Flip rate</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {tests.map((t) => (
            <tr key={t.id}>
              <th scope="row" style={{ textAlign: 'start', fontWeight: 'normal' }}>
                <Link to={`/project/${pid ?? t.project_id}/flaky`} title={t.job ? `Job ${t.job}` : undefined}>
                  {t.test_id}
                </Link>
              </th>
              <td>{whereText(t)}</td>
              <td>{share(t.score)}</td>
              <td>{share(t.flip_rate)}</td>
              <td>{reasonText(t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default FlakyTests;
