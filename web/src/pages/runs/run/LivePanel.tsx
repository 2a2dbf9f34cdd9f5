// The run page's live strip: whether the page is receiving the run's
// events, the progress against the collected tests, and the results that
// arrived while the page was open — new failures at the top.
import { Link } from 'react-router-dom';
import { Card, CardBody, CardTitle, Label, List, ListItem, Progress, ProgressMeasureLocation } from '@patternfly/react-core';
import { CheckCircleIcon, SyncAltIcon } from '@patternfly/react-icons';
import type { Run } from '../../../api/types';
import type { LiveResult, LiveStatus } from '../../../api/live';
import { StatusLabel } from '../../../components/StatusLabel';
import { failuresFirst } from './useLiveRun';

/** The indicator next to the run's name. */
export function LiveIndicator({ run, status }: { run: Run; status: LiveStatus }) {
  if (run.state === 'finished') {
    return (
      <Label isCompact color="green" icon={<CheckCircleIcon />} data-testid="run-state">
        Finished
      </Label>
    );
  }
  if (run.state !== 'running') return null;
  if (status === 'open') {
    return (
      <Label isCompact color="blue" icon={<SyncAltIcon />} data-testid="live-indicator" title="Results appear as they arrive">
        Live
      </Label>
    );
  }
  return (
    <Label isCompact color="grey" data-testid="run-state">
      {status === 'failed' ? 'Running (not live)' : 'Running'}
    </Label>
  );
}

export function LivePanel({ run, recent, base }: { run: Run; recent: LiveResult[]; base: string }) {
  if (run.state !== 'running' && recent.length === 0) return null;
  const s = run.summary ?? {};
  const collected = Number(s.collected ?? 0) || 0;
  const tests = Number(s.tests ?? 0) || 0;
  const shown = failuresFirst(recent).slice(0, 10);
  return (
    <Card isCompact data-testid="live-panel">
      <CardTitle component="h2">{run.state === 'running' ? 'Arriving results' : 'Results that arrived while this page was open'}</CardTitle>
      <CardBody>
        {collected > 0 && (
          <Progress
            value={Math.min(100, (tests * 100) / collected)}
            title="Progress"
            label={`${tests} of ${collected} tests`}
            measureLocation={ProgressMeasureLocation.outside}
            aria-label={`${tests} of ${collected} collected tests have a result`}
            data-testid="live-progress"
          />
        )}
        {shown.length === 0 ? (
          <p>New results appear here as they arrive.</p>
        ) : (
          <List isPlain className="ibutsu-live-results" aria-label="Results that arrived while this page was open" data-testid="live-results">
            {shown.map((r) => (
              <ListItem key={r.id} data-testid="live-result" data-result={r.result ?? ''}>
                <StatusLabel status={r.result ?? ''} /> <Link to={`${base}/results/${r.id}`}>{r.test_id ?? r.id}</Link>
              </ListItem>
            ))}
          </List>
        )}
      </CardBody>
    </Card>
  );
}
