// The compare UI, used by the Compare page and by compare-runs-view views:
// choose two runs (search recent runs or paste ids) or two filter sets, then
// see what changed — new failures, fixed, still failing, duration changes
// and upstream's "different outcome" pairs — as tabs with counts.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Badge,
  Button,
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  Form,
  FormGroup,
  Grid,
  GridItem,
  Tab,
  TabTitleText,
  Tabs,
  TextInput,
  ToggleGroup,
  ToggleGroupItem,
  Tooltip,
  Flex,
  FlexItem,
  FormGroupLabelHelp,
  Popover,
} from '@patternfly/react-core';
import { ArrowRightIcon, ExchangeAltIcon } from '@patternfly/react-icons';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { CompareItem, CompareRunRef, CompareRunsData, DurationChange, Run } from '../../api/types';
import { formatDate, formatDuration } from '../../components/format';
import { StatusLabel } from '../../components/StatusLabel';
import { FlakyLabel } from '../../components/FlakyLabel';
import { useRunNames } from '../../components/run/useRunNames';
import { Empty, ErrorState, Loading } from '../../components/states';
import { AsyncSelect, type AsyncOption } from '../../components/typeahead/AsyncSelect';
import { FieldHelp } from '../../components/forms';
import { Term } from '../../components/Term';
import { type CompareRow, CompareTable, MaybeLink } from './CompareTable';
import { CompareClustersTable, totalClusters } from './CompareClusters';
import { type CompareSpec, filterSetProblem, formatDelta, isUuid, runDescription, runLabel, runSearchFilter, widgetQuery } from './compare';

interface Props {
  projectId: string | null;
  spec: CompareSpec | null;
  onCompare: (s: CompareSpec) => void;
  /** Initial filter sets when spec is null (a view's configured filters). */
  defaultFilters?: [string, string];
}

function runOption(r: Run): AsyncOption {
  return { value: r.id, label: runLabel(r), description: runDescription(r) };
}

function useRunOption(id: string | undefined): [AsyncOption | null, (o: AsyncOption | null) => void] {
  const [opt, setOpt] = useState<AsyncOption | null>(null);
  useEffect(() => {
    if (!id) return;
    if (opt?.value === id) return;
    setOpt({ value: id, label: id });
    const ctrl = new AbortController();
    api<Run>(`run/${id}`, { signal: ctrl.signal })
      .then((r) => setOpt(runOption(r)))
      .catch(() => undefined);
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  return [opt, setOpt];
}

/** A pasted run id, offered as an option until the run it names has loaded. */
const pasted = (text: string): AsyncOption[] => (isUuid(text) ? [{ value: text.trim(), label: text.trim(), description: 'Use this run id' }] : []);

interface SideProps {
  side: 'base' | 'target';
  mode: 'runs' | 'filters';
  run: AsyncOption | null;
  onRun: (o: AsyncOption | null) => void;
  loadRuns: (text: string, signal: AbortSignal) => Promise<AsyncOption[]>;
  filter: string;
  onFilter: (f: string) => void;
}

/** Each side's label, filter example and help texts. */
const SIDES = {
  base: {
    label: 'Base',
    example: 'component=frontend,metadata.jenkins.build_number=5',
    runHelp: 'The earlier run: what the target is compared against.',
    filterHelp: 'Result filters; the run of the newest matching result is used.',
  },
  target: {
    label: 'Target',
    example: 'component=frontend,metadata.jenkins.build_number=6',
    runHelp: 'The newer run: its failures are what is new or still failing.',
    filterHelp: 'Comma-separated, e.g. env=prod,component=api',
  },
};

/** One side of the comparison: a run picker, or a filter set with its problem. */
function SideField({ side, mode, run, onRun, loadRuns, filter, onFilter }: SideProps) {
  const { label: Side, example, runHelp, filterHelp } = SIDES[side];
  if (mode === 'runs')
    return (
      <FormGroup label={`${Side} run`} fieldId={`compare-${side}`}>
        <AsyncSelect
          id={`compare-${side}`}
          aria-label={`${Side} run`}
          placeholder="Search component, build number, or paste a run id"
          selected={run}
          onSelect={onRun}
          load={loadRuns}
          extra={pasted}
        />
        <FieldHelp>{runHelp}</FieldHelp>
      </FormGroup>
    );
  const problem = filter ? filterSetProblem(filter) : null;
  return (
    <FormGroup label={`${Side} filters`} fieldId={`compare-${side}-filter`}>
      <TextInput
        id={`compare-${side}-filter`}
        value={filter}
        onChange={(_e, v) => onFilter(v)}
        placeholder={example}
        validated={problem ? 'error' : 'default'}
      />
      <FieldHelp error={problem}>{filterHelp}</FieldHelp>
    </FormGroup>
  );
}

export function CompareRuns({ projectId, spec, onCompare, defaultFilters }: Props) {
  const [mode, setMode] = useState<'runs' | 'filters'>(spec?.mode ?? (defaultFilters ? 'filters' : 'runs'));
  const [base, setBase] = useRunOption(spec?.mode === 'runs' ? spec.base : undefined);
  const [target, setTarget] = useRunOption(spec?.mode === 'runs' ? spec.target : undefined);
  const [baseFilter, setBaseFilter] = useState(spec?.mode === 'filters' ? spec.baseFilter : (defaultFilters?.[0] ?? ''));
  const [targetFilter, setTargetFilter] = useState(spec?.mode === 'filters' ? spec.targetFilter : (defaultFilters?.[1] ?? ''));
  const [threshold, setThreshold] = useState(spec?.threshold !== undefined ? String(spec.threshold) : '');

  const loadRuns = async (text: string, signal: AbortSignal): Promise<AsyncOption[]> => {
    if (isUuid(text)) {
      try {
        return [runOption(await api<Run>(`run/${text.trim()}`, { signal }))];
      } catch {
        return [];
      }
    }
    const f = runSearchFilter(text);
    const filters = [projectId ? `project_id=${projectId}` : null, f].filter(Boolean) as string[];
    const d = await api<{ runs: Run[] }>('run', { query: { filter: filters, pageSize: 30 }, signal });
    return (d.runs ?? []).map(runOption);
  };

  const thresholdOk = threshold.trim() === '' || (Number.isFinite(Number(threshold)) && Number(threshold) >= 0);
  const th = threshold.trim() === '' ? undefined : Number(threshold);
  const bfProblem = baseFilter ? filterSetProblem(baseFilter) : null;
  const tfProblem = targetFilter ? filterSetProblem(targetFilter) : null;
  const ready = thresholdOk && (mode === 'runs' ? !!base && !!target : !!baseFilter.trim() && !!targetFilter.trim() && !bfProblem && !tfProblem);

  const submit = (e?: React.FormEvent) => {
    e?.preventDefault();
    if (!ready) return;
    if (mode === 'runs') onCompare({ mode, base: base!.value, target: target!.value, threshold: th });
    else onCompare({ mode, baseFilter: baseFilter.trim(), targetFilter: targetFilter.trim(), threshold: th });
  };

  const swap = () => {
    if (mode === 'runs') {
      setBase(target);
      setTarget(base);
    } else {
      setBaseFilter(targetFilter);
      setTargetFilter(baseFilter);
    }
  };

  return (
    <>
      <Card>
        <CardBody>
          <Form onSubmit={submit}>
            <FormGroup label="Compare" role="radiogroup" fieldId="compare-mode" isInline>
              <ToggleGroup aria-label="What to compare">
                <ToggleGroupItem text="Two runs" buttonId="compare-mode-runs" isSelected={mode === 'runs'} onChange={() => setMode('runs')} />
                <ToggleGroupItem text="Two filter sets" buttonId="compare-mode-filters" isSelected={mode === 'filters'} onChange={() => setMode('filters')} />
              </ToggleGroup>
            </FormGroup>
            <Grid hasGutter>
              <GridItem md={5}>
                <SideField side="base" mode={mode} run={base} onRun={setBase} loadRuns={loadRuns} filter={baseFilter} onFilter={setBaseFilter} />
              </GridItem>
              <GridItem md={2} style={{ display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
                <Tooltip content="Swap base and target">
                  <Button variant="plain" aria-label="Swap base and target" icon={<ExchangeAltIcon />} onClick={swap} />
                </Tooltip>
              </GridItem>
              <GridItem md={5}>
                <SideField side="target" mode={mode} run={target} onRun={setTarget} loadRuns={loadRuns} filter={targetFilter} onFilter={setTargetFilter} />
              </GridItem>
            </Grid>
            <Flex alignItems={{ default: 'alignItemsFlexEnd' }} gap={{ default: 'gapMd' }}>
              <FlexItem>
                <FormGroup
                  label="Duration threshold (s)"
                  fieldId="compare-threshold"
                  labelHelp={
                    <Popover bodyContent="The Duration changes tab lists tests whose duration changed by more than this many seconds (default 1).">
                      <FormGroupLabelHelp aria-label="More about the duration threshold" />
                    </Popover>
                  }
                >
                  <TextInput
                    id="compare-threshold"
                    value={threshold}
                    onChange={(_e, v) => setThreshold(v)}
                    placeholder="1"
                    inputMode="decimal"
                    style={{ width: '8rem' }}
                    validated={thresholdOk ? 'default' : 'error'}
                  />
                </FormGroup>
              </FlexItem>
              <FlexItem>
                <Button type="submit" variant="primary" isDisabled={!ready}>
                  Compare
                </Button>
              </FlexItem>
            </Flex>
            <FieldHelp error={thresholdOk ? null : 'Enter a number of seconds (0 or more).'} />
          </Form>
        </CardBody>
      </Card>
      {spec && <CompareResult spec={spec} projectId={projectId} />}
    </>
  );
}

function runPath(r: CompareRunRef): string {
  return r.project_id ? `/project/${r.project_id}/runs/${r.id}` : `/runs/${r.id}`;
}

function resultPath(r: CompareRunRef | null | undefined, id: string | null): string | null {
  if (!id) return null;
  return r?.project_id ? `/project/${r.project_id}/results/${id}` : `/results/${id}`;
}

type TabKey = 'new' | 'fixed' | 'still' | 'clusters' | 'durations' | 'changed';

function CompareResult({ spec, projectId }: { spec: CompareSpec; projectId: string | null }) {
  const { data, error, loading, reload } = useApi<CompareRunsData>('widget/compare-runs-view', { query: widgetQuery(spec, projectId) });
  const [tab, setTab] = useState<TabKey>('new');

  if (loading && !data)
    return (
      <Card style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
        <Loading label="Comparing" />
      </Card>
    );
  if (error)
    return (
      <Card style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
        <ErrorState error={error} onRetry={reload} />
      </Card>
    );
  if (!data) return null;
  if (!data.base_run || !data.target_run) {
    return (
      <Card style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
        <Empty title="No runs to compare">No result matched one of the filter sets, so there is nothing to compare.</Empty>
      </Card>
    );
  }
  const c = data.counts ?? { base_total: 0, target_total: 0, new_failures: 0, fixed: 0, still_failing: 0, duration_changes: 0 };
  const br = data.base_run;
  const tr = data.target_run;
  const title = (text: string, n: number, testId: string) => (
    <TabTitleText>
      {text}{' '}
      <Badge isRead={n === 0} data-testid={testId}>
        {n}
      </Badge>
    </TabTitleText>
  );

  return (
    <Card style={{ marginTop: 'var(--pf-t--global--spacer--md)' }} data-testid="compare-result">
      <CardTitle>Comparison</CardTitle>
      <CardBody>
        <Flex alignItems={{ default: 'alignItemsCenter' }} gap={{ default: 'gapLg' }} style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}>
          <FlexItem>
            <RunRef label="Base run" run={br} total={c.base_total} />
          </FlexItem>
          <FlexItem>
            <ArrowRightIcon aria-hidden />
          </FlexItem>
          <FlexItem>
            <RunRef label="Target run" run={tr} total={c.target_total} />
          </FlexItem>
        </Flex>
        <Tabs activeKey={tab} onSelect={(_e, k) => setTab(k as TabKey)} aria-label="Comparison categories" mountOnEnter>
          <Tab eventKey="new" title={title('New failures', c.new_failures, 'count-new-failures')}>
            <CompareTable label="Tests" rows={itemRows(data.new_failures ?? [], br, tr)} empty="No new failures: nothing that passed before fails now." />
          </Tab>
          <Tab eventKey="fixed" title={title('Fixed', c.fixed, 'count-fixed')}>
            <CompareTable label="Tests" rows={itemRows(data.fixed ?? [], br, tr)} empty="Nothing that failed in the base run passes in the target run." />
          </Tab>
          <Tab eventKey="still" title={title('Still failing', c.still_failing, 'count-still-failing')}>
            <CompareTable label="Tests" rows={itemRows(data.still_failing ?? [], br, tr)} empty="No test fails in both runs." />
          </Tab>
          <Tab eventKey="clusters" title={title('Failure clusters', totalClusters(data.clusters), 'count-clusters')}>
            <CompareClustersTable clusters={data.clusters} />
          </Tab>
          <Tab eventKey="durations" title={title('Duration changes', c.duration_changes, 'count-duration-changes')}>
            <CompareTable
              label="Duration changes"
              rows={durationRows(data.duration_changes ?? [], br, tr)}
              empty="No test's duration changed by more than the threshold."
              testWidth={50}
              withChange
            />
          </Tab>
          <Tab eventKey="changed" title={title('Different outcome', data.pagination?.totalItems ?? data.results.length, 'count-changed')}>
            <CompareTable
              label="Different outcome"
              rows={pairRows(data.results ?? [], br, tr)}
              empty="No test (same file and id) has a different outcome in the two runs."
            />
          </Tab>
        </Tabs>
      </CardBody>
    </Card>
  );
}

function RunRef({ label, run, total }: { label: string; run: CompareRunRef; total: number }) {
  const nameOf = useRunNames([run.id], run.project_id);
  return (
    <DescriptionList isCompact isHorizontal termWidth="7rem">
      <Term term={label}>
        <Link to={runPath(run)}>{nameOf(run.id)}</Link> · {formatDate(run.start_time)} · {total} results
      </Term>
    </DescriptionList>
  );
}

function itemRows(items: CompareItem[], base: CompareRunRef, target: CompareRunRef): CompareRow[] {
  const outcome = (run: CompareRunRef, status: string | null | undefined, id: string | null) =>
    status ? (
      <MaybeLink to={resultPath(run, id)}>
        <StatusLabel status={status} />
      </MaybeLink>
    ) : (
      <span>not run</span>
    );
  return items.map((it) => ({
    key: it.test_id,
    test: it.test_id,
    testTo: resultPath(target, it.target_result_id),
    base: outcome(base, it.base_result, it.base_result_id),
    target: outcome(target, it.target_result, it.target_result_id),
    badge: it.flaky ? <FlakyLabel /> : null,
  }));
}

function durationRows(items: DurationChange[], base: CompareRunRef, target: CompareRunRef): CompareRow[] {
  return items.map((it) => ({
    key: it.test_id,
    test: it.test_id,
    testTo: resultPath(target, it.target_result_id),
    base: <MaybeLink to={resultPath(base, it.base_result_id)}>{formatDuration(it.base_duration)}</MaybeLink>,
    target: formatDuration(it.target_duration),
    change: (
      <span
        style={{
          color: it.delta > 0 ? 'var(--pf-t--global--text--color--status--danger--default)' : 'var(--pf-t--global--text--color--status--success--default)',
        }}
      >
        {formatDelta(it.delta)}
      </span>
    ),
  }));
}

function pairRows(pairs: CompareRunsData['results'], base: CompareRunRef, target: CompareRunRef): CompareRow[] {
  return pairs.map(([a, b]) => ({
    key: a.id,
    test: a.test_id,
    testTo: resultPath(target, b.id),
    base: (
      <MaybeLink to={resultPath(base, a.id)}>
        <StatusLabel status={a.result} />
      </MaybeLink>
    ),
    target: (
      <MaybeLink to={resultPath(target, b.id)}>
        <StatusLabel status={b.result} />
      </MaybeLink>
    ),
  }));
}
