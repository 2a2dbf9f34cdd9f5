// A run's failures grouped by fingerprint (GET /api/run/{id}/clusters,
// docs/triage.md): how many results each cluster has, whether the project
// had it before (known: first and last seen, in how many runs, how people
// classified it) or not (new), an example message, the tests on expanding,
// and one request that classifies the whole cluster.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Content, Label, List, ListItem, Switch, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Td } from '@patternfly/react-table';
import { DataTable } from '../../../components/table/DataTable';
import { api, errorText } from '../../../api/client';
import { useApi } from '../../../api/useApi';
import type { Run } from '../../../api/types';
import { formatDate } from '../../../components/format';
import { ClassificationMenu, classificationLabel } from '../../../components/ClassificationDropdown';
import { TableState } from '../../../components/table/TableState';
import { ExpandableRows, useOpenRows } from '../../../components/table/ExpandableRows';
import { NoticeAlert, type Notice } from '../../../components/NoticeAlert';
import { classifyClusterBody, clustersSummary, clusterTitle, hiddenTests, type FailureCluster, type RunClusters } from './clusters';

export function FailureClustersTab({ run, base }: { run: Run; base: string }) {
  const { data, error, loading, reload } = useApi<RunClusters>(`run/${run.id}/clusters`);
  const openRows = useOpenRows();
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const clusters = data?.clusters ?? [];

  const classify = async (c: FailureCluster, value: string) => {
    setBusy(c.fingerprint);
    setNotice(null);
    try {
      await api('results/bulk-update', { method: 'POST', body: classifyClusterBody(run.id, c, value) });
      setNotice({
        variant: 'success',
        title: `Classified ${c.count} ${c.count === 1 ? 'result' : 'results'} of ${clusterTitle(c)} as ${classificationLabel(value)}`,
      });
      reload();
    } catch (e) {
      setNotice({ variant: 'danger', title: `Classification failed: ${errorText(e)}` });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <NoticeAlert notice={notice} onClose={() => setNotice(null)} testId="clusters-notice" />
      {data && (
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem alignSelf="center">
              <span className="ibutsu-subtle" data-testid="clusters-summary">
                {clustersSummary(data)}
              </span>
            </ToolbarItem>
            {run.project_id && (
              <ToolbarItem alignSelf="center" align={{ default: 'alignEnd' }}>
                <AutoClassifySwitch projectId={run.project_id} onError={(e) => setNotice({ variant: 'danger', title: `Not saved: ${errorText(e)}` })} />
              </ToolbarItem>
            )}
          </ToolbarContent>
        </Toolbar>
      )}
      <DataTable
        label="Failure clusters of this run"
        data-testid="clusters-table"
        columns={[
          { screenReaderText: 'Show tests' },
          { title: 'Failure', width: 35 },
          { title: 'Results', modifier: 'wrap' },
          { title: 'Status', modifier: 'wrap' },
          { title: 'First seen', modifier: 'wrap' },
          { title: 'Last seen', modifier: 'wrap' },
          { title: 'Runs before', modifier: 'wrap', info: { tooltip: 'Earlier runs of this project with the same failure' } },
          { title: 'Classified as', modifier: 'wrap' },
          { screenReaderText: 'Actions' },
        ]}
      >
        <TableState
          colSpan={9}
          loading={loading}
          error={error}
          onRetry={reload}
          empty={!clusters.length}
          emptyTitle="No failures"
          emptyBody="This run has no failed or errored results to group."
        >
          <ExpandableRows
            rows={clusters}
            rowKey={(c) => c.fingerprint}
            idPrefix="cluster"
            colSpan={9}
            {...openRows}
            cells={(c, i) => {
              const title = clusterTitle(c);
              return (
                <>
                  <Td dataLabel="Failure" className="ibutsu-break">
                    <strong>{title}</strong>
                    {c.example.message && <div className="ibutsu-subtle">{c.example.message}</div>}
                  </Td>
                  <Td dataLabel="Results">{c.count}</Td>
                  <Td dataLabel="Status">
                    {c.status === 'new' ? (
                      <Label isCompact color="red" data-testid="cluster-new">
                        New
                      </Label>
                    ) : (
                      <Label isCompact color="blue" data-testid="cluster-known">
                        Known
                      </Label>
                    )}
                  </Td>
                  <Td dataLabel="First seen">{c.known ? formatDate(c.known.first_seen) : '–'}</Td>
                  <Td dataLabel="Last seen">{c.known ? formatDate(c.known.last_seen) : '–'}</Td>
                  <Td dataLabel="Runs before">{c.known ? c.known.runs : '–'}</Td>
                  <Td dataLabel="Classified as">
                    {c.known?.classification ? classificationLabel(c.known.classification) : '–'}
                    {c.suggested_classification && (
                      <div className="ibutsu-suggestion">
                        <Button
                          variant="secondary"
                          size="sm"
                          isDisabled={busy !== null}
                          isLoading={busy === c.fingerprint}
                          onClick={() => void classify(c, c.suggested_classification as string)}
                          aria-label={`Accept ${classificationLabel(c.suggested_classification)} for cluster ${title}`}
                          data-testid={`accept-cluster-${i}`}
                        >
                          Accept
                        </Button>
                      </div>
                    )}
                  </Td>
                  <Td dataLabel="Actions" isActionCell>
                    <ClassificationMenu
                      toggleText="Classify cluster"
                      ariaLabel={`Classify cluster ${title}, ${c.count} ${c.count === 1 ? 'result' : 'results'}`}
                      busy={busy === c.fingerprint}
                      isDisabled={busy !== null && busy !== c.fingerprint}
                      selected={c.known?.classification ?? undefined}
                      onSelect={(v) => void classify(c, v)}
                      testId={`classify-cluster-${i}`}
                    />
                  </Td>
                </>
              );
            }}
            detail={(c, i) => (
              <>
                <Content component="p" className="ibutsu-subtle">
                  Normalised failure (what the fingerprint is taken of)
                </Content>
                <pre className="ibutsu-cluster-text" data-testid={`cluster-text-${i}`}>
                  {c.normalised}
                </pre>
                <List isPlain aria-label={`Tests of ${clusterTitle(c)}`} data-testid={`cluster-tests-${i}`}>
                  {c.test_ids.map((t, k) => (
                    <ListItem key={c.result_ids[k]}>
                      <Link to={`${base}/results/${c.result_ids[k]}`}>{t || c.result_ids[k]}</Link>
                    </ListItem>
                  ))}
                  {hiddenTests(c) > 0 && <ListItem className="ibutsu-subtle">and {hiddenTests(c)} more</ListItem>}
                </List>
              </>
            )}
          />
        </TableState>
      </DataTable>
    </>
  );
}

/** The project's automatic classification rule (docs/triage.md); only its owner and superadmins may change it. */
function AutoClassifySwitch({ projectId, onError }: { projectId: string; onError: (e: unknown) => void }) {
  const { data } = useApi<{ auto_classify: boolean }>(`project/${projectId}/triage-settings`);
  const [on, setOn] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const value = on ?? data?.auto_classify ?? false;
  if (!data) return null;
  const change = async (v: boolean) => {
    setBusy(true);
    try {
      const saved = await api<{ auto_classify: boolean }>(`project/${projectId}/triage-settings`, { method: 'PUT', body: { auto_classify: v } });
      setOn(saved.auto_classify);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Switch
      id="auto-classify"
      label="Classify new failures like known ones automatically"
      isChecked={value}
      isDisabled={busy}
      onChange={(_e, v) => void change(v)}
      data-testid="auto-classify"
    />
  );
}
