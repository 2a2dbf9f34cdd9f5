// "Compare with previous build" on a run page: the run before this one in its
// series (same Jenkins job, else same source, component and env — GET
// /api/run/{id}/previous) opens the compare view with both runs chosen;
// the first build of a series (204) shows the button disabled and says why.
import { Link } from 'react-router-dom';
import { Button, Tooltip } from '@patternfly/react-core';
import { ExchangeAltIcon } from '@patternfly/react-icons';
import { useApi } from '../../../api/useApi';
import type { Run } from '../../../api/types';
import { runName } from '../../../components/run/runName';
import { specToParams } from '../../compare/compare';

/** The compare page's URL for previous → run. */
export function comparePath(base: string, previous: string, run: string): string {
  return `${base}/compare?${specToParams({ mode: 'runs', base: previous, target: run })}`;
}

export function CompareWithPrevious({ run, base }: { run: Run; base: string }) {
  // 204 (an empty body) when this is the first build of its series.
  const { data, error, loading } = useApi<Run | ''>(`run/${run.id}/previous`);
  if (loading) {
    return (
      <Button variant="secondary" icon={<ExchangeAltIcon />} isDisabled isLoading>
        Compare with previous build
      </Button>
    );
  }
  if (!data) {
    const why = error ? 'The previous build could not be loaded.' : 'This is the first build of its series.';
    return (
      <Tooltip content={why}>
        <Button variant="secondary" icon={<ExchangeAltIcon />} isAriaDisabled data-testid="compare-previous">
          Compare with previous build
        </Button>
      </Tooltip>
    );
  }
  return (
    <Button
      variant="secondary"
      icon={<ExchangeAltIcon />}
      data-testid="compare-previous"
      title={`Compare ${runName(data)} → ${runName(run)}`}
      component={(p: object) => <Link {...p} to={comparePath(base, data.id, run.id)} />}
    >
      Compare with previous build
    </Button>
  );
}
