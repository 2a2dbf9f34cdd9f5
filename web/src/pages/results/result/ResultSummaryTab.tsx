// A result's summary: outcome, test, run, timings (with per-phase
// durations when pytest-ibutsu recorded them), classification, markers,
// parameters and the failure's traceback.
import { Link } from 'react-router-dom';
import { CodeBlock, CodeBlockCode, DescriptionList, ExpandableSection, HelperText, HelperTextItem, Label, LabelGroup, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import { TableHead } from '../../../components/table/DataTable';
import { useState } from 'react';
import type { Result } from '../../../api/types';
import { ClassificationDropdown } from '../../../components/ClassificationDropdown';
import { formatDate, formatDuration } from '../../../components/format';
import { StatusLabel } from '../../../components/StatusLabel';
import { Term } from '../../../components/Term';
import { failureDetail, failureReason } from '../../../components/failure/failure';
import { FailureText } from '../../../components/failure/FailureText';
import '../../../components/failure/failure.css';
import { ClassificationHistory, ClassificationSuggestion } from './Classification';
import '../../runs/run/run.css';

/** metadata.durations {setup, call, teardown} as [phase, seconds] in phase order. */
export function phaseDurations(md: Record<string, unknown> | null | undefined): [string, number][] {
  const d = md?.durations;
  if (!d || typeof d !== 'object') return [];
  const order = ['setup', 'call', 'teardown'];
  return Object.entries(d as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))))
    .map(([k, v]) => [k, Number(v)] as [string, number])
    .sort((a, b) => (order.indexOf(a[0]) + 1 || 99) - (order.indexOf(b[0]) + 1 || 99));
}

/** Marker and tag names (markers are {name} objects or strings). */
export function markerNames(md: Record<string, unknown> | null | undefined): string[] {
  const out: string[] = [];
  for (const k of ['markers', 'tags']) {
    const v = md?.[k];
    if (!Array.isArray(v)) continue;
    for (const m of v) {
      const name =
        typeof m === 'string' ? m : m && typeof m === 'object' && typeof (m as { name?: unknown }).name === 'string' ? (m as { name: string }).name : null;
      if (name && !out.includes(name)) out.push(name);
    }
  }
  return out;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v : null;
}

export function ResultSummaryTab({ result, base, onChange }: { result: Result; base: string; onChange: (r: Result) => void }) {
  const md = result.metadata ?? {};
  const phases = phaseDurations(md);
  const markers = markerNames(md);
  const params = Object.entries(result.params ?? {});
  const shortTb = str(md.short_tb);
  const traceback = str(md.traceback);
  const failed = result.result === 'failed' || result.result === 'error';
  const reason = failureReason(result);
  const [tbOpen, setTbOpen] = useState(true);
  const [saveError, setSaveError] = useState<string | null>(null);
  const file = str(md.fspath);
  const line = typeof md.line === 'number' ? md.line : null;
  const jenkins = md.jenkins && typeof md.jenkins === 'object' ? (md.jenkins as Record<string, unknown>) : null;
  return (
    <>
      <DescriptionList isHorizontal isCompact columnModifier={{ lg: '2Col' }} aria-label="Result details">
        <Term term="Result">
          <StatusLabel status={result.result} isCompact={false} />
        </Term>
        <Term term="Classification">
          <ClassificationDropdown
            result={result}
            onSaved={(r) => {
              setSaveError(null);
              onChange(r);
            }}
            onError={(e) => setSaveError(e instanceof Error ? e.message : String(e))}
          />
          {saveError && (
            <HelperText>
              <HelperTextItem variant="error">Not saved: {saveError}</HelperTextItem>
            </HelperText>
          )}
          <ClassificationSuggestion result={result} onSaved={onChange} />
        </Term>
        <Term term="Test ID" className="ibutsu-mono ibutsu-break">
          {result.test_id}
        </Term>
        <Term term="Run" className="ibutsu-mono">
          {result.run_id ? <Link to={`${base}/runs/${result.run_id}`}>{result.run_id}</Link> : '–'}
        </Term>
        {file && (
          <Term term="File" className="ibutsu-mono ibutsu-break">
            {file}
            {line !== null ? `:${line}` : ''}
          </Term>
        )}
        <Term term="Component">{result.component || '–'}</Term>
        <Term term="Environment">{result.env || '–'}</Term>
        <Term term="Source">{result.source || '–'}</Term>
        <Term term="Started">{formatDate(result.start_time)}</Term>
        <Term term="Duration">
          {formatDuration(result.duration)}
          {phases.length > 0 && (
            <span className="ibutsu-subtle" data-testid="phase-durations">
              {' ('}
              {phases.map(([k, v]) => `${k} ${formatDuration(v)}`).join(', ')}
              {')'}
            </span>
          )}
        </Term>
        {jenkins && (jenkins.job_name || jenkins.build_number) ? (
          <Term term="Jenkins">
            {show(jenkins.job_name)} #{show(jenkins.build_number)}
          </Term>
        ) : null}
        {str(md.exception_name) && (
          <Term term="Exception" className="ibutsu-mono">
            {str(md.exception_name)}
          </Term>
        )}
        {str(md.skip_reason) && <Term term="Skip reason">{str(md.skip_reason)}</Term>}
        {markers.length > 0 && (
          <Term term="Markers">
            <LabelGroup numLabels={10}>
              {markers.map((m) => (
                <Label key={m} isCompact variant="outline">
                  {m}
                </Label>
              ))}
            </LabelGroup>
          </Term>
        )}
      </DescriptionList>

      {(shortTb || traceback || failed) && (
        <>
          <Title headingLevel="h2" size="lg" style={{ margin: 'var(--pf-t--global--spacer--lg) 0 var(--pf-t--global--spacer--sm)' }}>
            Failure
          </Title>
          {reason && (
            <p className="ibutsu-failure-headline" data-testid="failure-reason">
              {reason}
            </p>
          )}
          {shortTb && failureDetail(result) && (
            <CodeBlock className="ibutsu-traceback" aria-label="Short traceback">
              <CodeBlockCode>{shortTb}</CodeBlockCode>
            </CodeBlock>
          )}
          {traceback && traceback !== shortTb && (
            <ExpandableSection
              toggleText={tbOpen ? 'Hide the full traceback' : 'Show the full traceback'}
              isExpanded={tbOpen}
              onToggle={(_e, v) => setTbOpen(v)}
              style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}
            >
              <CodeBlock className="ibutsu-traceback" aria-label="Traceback" data-testid="traceback">
                <CodeBlockCode>{traceback}</CodeBlockCode>
              </CodeBlock>
            </ExpandableSection>
          )}
          {!traceback && failed && <FailureText resultId={result.id} skip={shortTb} />}
        </>
      )}

      <Title headingLevel="h2" size="lg" style={{ margin: 'var(--pf-t--global--spacer--lg) 0 var(--pf-t--global--spacer--sm)' }}>
        Classification history
      </Title>
      <ClassificationHistory resultId={result.id} version={result.metadata?.classification} />

      <Title headingLevel="h2" size="lg" style={{ margin: 'var(--pf-t--global--spacer--lg) 0 var(--pf-t--global--spacer--sm)' }}>
        Parameters
      </Title>
      {params.length ? (
        <Table aria-label="Parameters" variant="compact" borders>
          <TableHead columns={[{ title: 'Name', width: 30 }, 'Value']} />
          <Tbody>
            {params.map(([k, v]) => (
              <Tr key={k}>
                <Td dataLabel="Name" className="ibutsu-mono">
                  {k}
                </Td>
                <Td dataLabel="Value" className="ibutsu-mono ibutsu-break">
                  {show(v)}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      ) : (
        <p className="ibutsu-subtle">This test has no parameters.</p>
      )}
    </>
  );
}
