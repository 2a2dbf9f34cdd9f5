// A project's quarantined tests (/project/:project_id/quarantine): the
// entries with their reason, owner and expiry; add, edit and remove for the
// project's owner and superadmins; how a CI job skips them.
import { useState } from 'react';
import { Alert, ClipboardCopy, Content, ExpandableSection, Label, PageSection } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useApi } from '../../api/useApi';
import type { Pagination as Pag, QuarantineEntry } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useProject } from '../../project';
import { formatDate } from '../../components/format';
import { Empty } from '../../components/states';
import { PageHeading } from '../../components/PageHeading';
import { AddItemButton, ListTable, RowActions } from '../../components/table/DataTable';
import { ToolbarPaging, useLocalPaging } from '../../components/table/ListPagination';
import { DeleteConfirmModal, useDeleteItem } from '../../components/ConfirmModal';
import { expiryStatus } from '../profile/tokens';
import { QuarantineModal } from './QuarantineModal';
import { ciSnippet } from './quarantine';

/** Whether the signed-in user may change the project's quarantine list. */
export function useCanQuarantine(): boolean {
  const { user } = useAuth();
  const { project } = useProject();
  return !!user && (!!user.is_superadmin || (!!project?.owner_id && project.owner_id === user.id));
}

export function QuarantinePage() {
  const { projectId, project } = useProject();
  const canWrite = useCanQuarantine();
  const paging = useLocalPaging(20);
  const [editing, setEditing] = useState<QuarantineEntry | null | 'new'>(null);
  const list = useApi<{ quarantine: QuarantineEntry[]; pagination: Pag }>(projectId ? `project/${projectId}/quarantine` : null, {
    query: { page: paging.page, pageSize: paging.pageSize },
  });
  const { data, reload } = list;
  const deletion = useDeleteItem<QuarantineEntry>((q) => `project/${projectId}/quarantine/${q.id}`, reload);
  if (!projectId) {
    return (
      <PageSection>
        <Empty title="Pick a project">The quarantine list belongs to a project: choose one in the project selector.</Empty>
      </PageSection>
    );
  }
  const entries = data?.quarantine ?? [];

  return (
    <>
      <PageHeading title="Quarantined tests">
        Failures of these tests are marked <strong>Quarantined</strong> on results and counted apart on the run page. CI jobs can skip them with{' '}
        <code>pytest --deselect</code>. Only the project owner can change the list.
      </PageHeading>
      <PageSection>
        <ListTable
          toolbar={
            <>
              {canWrite && (
                <AddItemButton onClick={() => setEditing('new')} data-testid="quarantine-add">
                  Quarantine tests
                </AddItemButton>
              )}
              <ToolbarPaging list={paging} total={data?.pagination.totalItems ?? 0} />
            </>
          }
          api={list}
          empty={entries.length === 0}
          emptyTitle="No quarantined tests"
          emptyBody={
            canWrite ? 'Quarantine a test that fails for a known reason, so its failures stop hiding new ones.' : 'The project owner has quarantined no tests.'
          }
          label="Quarantined tests"
          data-testid="quarantine-table"
          columns={[
            { title: 'Pattern', width: 25 },
            { title: 'Reason', width: 25 },
            'Owner',
            'Created',
            'Expires',
            canWrite && { screenReaderText: 'Actions' },
          ]}
        >
          {entries.map((q) => {
            const st = expiryStatus(q.expires);
            return (
              <Tr key={q.id} data-testid="quarantine-row">
                <Td dataLabel="Pattern" modifier="breakWord">
                  <code>{q.pattern}</code>{' '}
                  {q.kind === 'glob' && (
                    <Label isCompact color="blue">
                      glob
                    </Label>
                  )}
                </Td>
                <Td dataLabel="Reason" modifier="breakWord">
                  {q.reason}
                </Td>
                <Td dataLabel="Owner">{q.owner || '–'}</Td>
                <Td dataLabel="Created" modifier="nowrap">
                  {formatDate(q.created)}
                </Td>
                <Td dataLabel="Expires" modifier="nowrap">
                  {q.expires ? formatDate(q.expires) : 'never'}{' '}
                  {q.expires && (
                    <Label isCompact status={!q.active ? 'danger' : st.soon ? 'warning' : undefined} color={!q.active || st.soon ? undefined : 'grey'}>
                      {q.active ? st.text : 'expired — no longer applies'}
                    </Label>
                  )}
                </Td>
                {canWrite && (
                  <RowActions
                    actions={[
                      { text: 'Edit', 'aria-label': `Edit ${q.pattern}`, onClick: () => setEditing(q) },
                      { text: 'Remove', 'aria-label': `Remove ${q.pattern}`, danger: true, onClick: () => deletion.ask(q) },
                    ]}
                  />
                )}
              </Tr>
            );
          })}
        </ListTable>
      </PageSection>
      <PageSection>
        <ExpandableSection toggleText="Skip these tests in CI" data-testid="quarantine-ci">
          <Content component="p">
            <code>GET /api/project/{projectId}/quarantine.txt</code> lists the active entries as pytest node ids, one a line (comments start with <code>#</code>
            ). With an <a href="/profile/tokens">API token</a> in <code>IBUTSU_TOKEN</code>:
          </Content>
          <ClipboardCopy isCode isReadOnly variant="expansion" isExpanded hoverTip="Copy" clickTip="Copied" textAriaLabel="CI commands">
            {ciSnippet(window.location.origin, projectId)}
          </ClipboardCopy>
          <Alert variant="info" isInline isPlain title="Globs are not expanded" style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}>
            A glob entry appears as a comment in the file; deselect it with <code>-k</code> (see the triage documentation).
          </Alert>
        </ExpandableSection>
      </PageSection>
      <QuarantineModal
        isOpen={editing !== null}
        projectId={projectId}
        entry={editing === 'new' ? null : editing}
        onClose={(saved) => {
          setEditing(null);
          if (saved) reload();
        }}
      />
      <DeleteConfirmModal {...deletion.modal} kind="quarantine entry" name={deletion.item?.pattern ?? ''}>
        <p>Its failures in {project?.title || 'this project'} are no longer marked quarantined, and CI jobs run the tests again.</p>
      </DeleteConfirmModal>
    </>
  );
}
