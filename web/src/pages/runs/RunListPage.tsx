// The test runs of the current project: filter builder, server-side sorting
// and pagination (state in the URL), a summary bar per run, and live
// updates from the project's event stream (polling while a run is receiving
// results when the stream is not available).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Flex, FlexItem, Label, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { ExternalLinkAltIcon, SyncAltIcon } from '@patternfly/react-icons';
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { useApi } from '../../api/useApi';
import { type LiveRun, useEventStream } from '../../api/live';
import type { ListPagination as PageInfo, Run } from '../../api/types';
import { useProject } from '../../project';
import { RUN_FIELDS } from '../../components/filter/filters';
import { ProjectListPage, type ProjectListSpec, useProjectList } from '../../components/table/ProjectList';
import type { ListColumn } from '../../components/table/SortableHeader';
import { SummaryBar } from '../../components/SummaryBar';
import { formatDuration, formatPercent } from '../../components/format';
import { RelativeTimeCell } from '../../components/table/RelativeTimeCell';
import { FailureCounts } from '../../components/run/FailureCounts';
import { buildLabel, jenkinsBuild, runName } from '../../components/run/runName';
import { isReceiving, LIVE_POLL_MS } from './runListLogic';

/**
 * A run's name in the list, whose other columns show component, env and
 * start time: the Jenkins build, else its source (the full readable name is
 * the link's title), never a bare id unless nothing else is known.
 */
function listName(r: Run): string {
  return buildLabel(r) ?? (r.source || runName(r));
}

/** The free-text search: a substring of the run's source, the name of runs without Jenkins metadata. */
const RUN_SEARCH = { field: 'source', label: 'Search run sources', hint: "Finds text anywhere in the run's source, ignoring case." };

const columns: ListColumn[] = [
  { title: 'Run' },
  { title: 'Component', sort: { field: 'component' } },
  { title: 'Env', sort: { field: 'env' } },
  { title: 'Started', sort: { field: 'start_time', firstDirection: 'desc' } },
  { title: 'Duration', sort: { field: 'duration', firstDirection: 'desc' } },
  { title: 'Summary', sort: { field: 'summary.failures', firstDirection: 'desc' } },
  { title: 'Pass rate', sort: { field: 'summary.pass_percent', firstDirection: 'desc' } },
];

const EMPTY = { filtered: 'No run matches these filters; remove some to see more.', none: 'Runs appear here once test results are uploaded.' };

const PAGE: ProjectListSpec = { noun: 'runs', fields: RUN_FIELDS, search: RUN_SEARCH, columns };

export function RunListPage() {
  const { base, project } = useProject();
  const page = useProjectList(PAGE);
  const { query, chooseProject } = page;
  // The project's event stream keeps the list current; without it (no
  // project chosen, or the stream failed) the list polls while a run on
  // the page is still receiving results.
  const [polling, setPolling] = useState(false);
  const [patches, setPatches] = useState<Record<string, Partial<Run>>>({});
  const reloadRef = useRef<() => void>(() => {});
  const onEvent = useCallback((type: string, data: unknown) => {
    const e = data as LiveRun;
    if (type === 'run.started' || type === 'reset') reloadRef.current();
    else if ((type === 'run.updated' || type === 'run.finished') && e?.id)
      setPatches((p) => ({ ...p, [e.id]: { summary: e.summary, state: e.state, finished_at: e.finished_at } }));
  }, []);
  const stream = useEventStream('project', chooseProject ? null : (project?.id ?? null), onEvent);
  const streaming = stream === 'open';
  const probe = useApi<{ runs: Run[]; pagination: PageInfo }>(chooseProject ? null : 'run', { query }, polling && !streaming ? LIVE_POLL_MS : undefined);
  useEffect(() => {
    reloadRef.current = probe.reload;
  }, [probe.reload]);
  // A run started after the list was read and before the stream was
  // subscribed reaches neither (the server subscribes before it answers,
  // so "open" means subscribed): read the list again once it is open.
  useEffect(() => {
    if (streaming) reloadRef.current();
  }, [streaming]);
  const data = probe.data;
  useEffect(() => setPatches({}), [data]);
  const now = Date.now();
  const runs = (data?.runs ?? []).map((r) => (patches[r.id] ? { ...r, ...patches[r.id] } : r));
  const live = new Set(runs.filter((r) => (r.state ? r.state === 'running' : isReceiving(r, now))).map((r) => r.id));
  useEffect(() => setPolling(live.size > 0), [live.size]);

  return (
    <ProjectListPage
      page={page}
      api={probe}
      rowCount={runs.length}
      empty={EMPTY}
      toolbar={
        (streaming || live.size > 0) && (
          <ToolbarItem>
            <Tooltip
              content={
                streaming
                  ? 'Runs update as their results arrive; new runs appear at once.'
                  : `The list refreshes every ${LIVE_POLL_MS / 1000} seconds while a run on this page is receiving results.`
              }
            >
              <Label color="blue" icon={<SyncAltIcon />} data-testid="live-indicator" data-streaming={streaming} tabIndex={0}>
                Live: {live.size} {live.size === 1 ? 'run' : 'runs'} receiving results
              </Label>
            </Tooltip>
          </ToolbarItem>
        )
      }
    >
      <Tbody>
        {runs.map((r) => {
          const j = jenkinsBuild(r);
          return (
            <Tr key={r.id} data-testid="run-row" data-run-id={r.id}>
              <Td dataLabel="Run">
                <Flex spaceItems={{ default: 'spaceItemsSm' }} flexWrap={{ default: 'nowrap' }} alignItems={{ default: 'alignItemsCenter' }}>
                  <FlexItem>
                    <Link to={`${base}/runs/${r.id}`} data-testid="run-name" title={runName(r)}>
                      {listName(r)}
                    </Link>
                  </FlexItem>
                  {j.url && (
                    <FlexItem>
                      <a
                        href={j.url}
                        target="_blank"
                        rel="noreferrer"
                        aria-label={`Jenkins build ${j.build ?? ''} of ${j.job ?? 'this run'} (opens in a new tab)`}
                      >
                        <ExternalLinkAltIcon />
                      </a>
                    </FlexItem>
                  )}
                  {live.has(r.id) && (
                    <FlexItem>
                      <Label isCompact color="blue" icon={<SyncAltIcon />} title="Receiving results">
                        live
                      </Label>
                    </FlexItem>
                  )}
                </Flex>
              </Td>
              <Td dataLabel="Component" data-testid="run-component">
                {r.component || '–'}
              </Td>
              <Td dataLabel="Environment">{r.env || '–'}</Td>
              <RelativeTimeCell dataLabel="Started" iso={r.start_time} now={now} />
              <Td dataLabel="Duration" data-testid="run-duration" data-seconds={r.duration ?? ''}>
                {formatDuration(r.duration)}
              </Td>
              <Td dataLabel="Summary">
                <Flex spaceItems={{ default: 'spaceItemsSm' }} flexWrap={{ default: 'nowrap' }} alignItems={{ default: 'alignItemsCenter' }}>
                  <FlexItem>
                    <SummaryBar summary={r.summary} width="6rem" />
                  </FlexItem>
                  <FlexItem>
                    <FailureCounts summary={r.summary} />
                  </FlexItem>
                </Flex>
              </Td>
              <Td dataLabel="Pass rate" data-testid="run-pass" data-percent={r.summary?.pass_percent ?? ''}>
                {formatPercent(r.summary?.tests && typeof r.summary.pass_percent === 'number' ? r.summary.pass_percent : null)}
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </ProjectListPage>
  );
}
