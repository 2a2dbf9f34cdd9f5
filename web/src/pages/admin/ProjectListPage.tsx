// Admin → Projects: every project with owner, members and retention,
// searched by title on the server; add, edit and delete.
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  Button, Flex, Content, PageSection, Pagination, SearchInput, Title, Toolbar, ToolbarContent, ToolbarItem,
} from '@patternfly/react-core';
import { PlusCircleIcon } from '@patternfly/react-icons';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { AdminProject, Pagination as Pag } from '../../api/types';
import { Empty, ErrorState, Loading } from '../../components/states';
import { AdminGuard } from './AdminGuard';
import { DeleteConfirmModal } from './common';
import { describeRetention } from './retention';

export function ProjectListPage() {
  return (
    <AdminGuard>
      <ProjectList />
    </AdminGuard>
  );
}

function ProjectList() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  const [text, setText] = useState(q);
  const [deleting, setDeleting] = useState<AdminProject | null>(null);

  const set = (changes: Record<string, string | number | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '' || (k === 'page' && v === 1)) next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next, { replace: true });
  };

  const { data, error, loading, reload } = useApi<{ projects: AdminProject[]; pagination: Pag }>('admin/project', {
    query: { filter: q ? [`title%${q}`] : undefined, page, pageSize },
  });
  const projects = data?.projects ?? [];

  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Projects</Title>
        <Content component="p">Projects, their owners, members and how long their data is kept.</Content>
      </PageSection>
      <PageSection>
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem style={{ minWidth: '20rem' }}>
              <SearchInput
                aria-label="Search projects by title"
                placeholder="Search by title"
                value={text}
                onChange={(_e, v) => setText(v)}
                onSearch={(_e, v) => set({ q: v, page: 1 })}
                onClear={() => { setText(''); set({ q: null, page: 1 }); }}
              />
            </ToolbarItem>
            <ToolbarItem>
              <Button variant="primary" icon={<PlusCircleIcon />} onClick={() => navigate('/admin/projects/new')}>Add project</Button>
            </ToolbarItem>
            <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
              <Pagination
                itemCount={data?.pagination.totalItems ?? 0}
                page={page}
                perPage={pageSize}
                onSetPage={(_e, p) => set({ page: p })}
                onPerPageSelect={(_e, s) => set({ pageSize: s, page: 1 })}
                isCompact
                titles={{ paginationAriaLabel: 'Projects pagination (top)' }}
              />
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        {loading && !data ? (
          <Loading />
        ) : error ? (
          <ErrorState error={error} onRetry={reload} />
        ) : projects.length === 0 ? (
          <Empty title="No projects found">{q ? 'No project matches the search.' : 'There are no projects yet.'}</Empty>
        ) : (
          <Table aria-label="Projects" variant="compact">
            <Thead>
              <Tr>
                <Th>Title</Th>
                <Th>Name</Th>
                <Th>Owner</Th>
                <Th>Members</Th>
                <Th>Retention (runs / results)</Th>
                <Th screenReaderText="Actions" />
              </Tr>
            </Thead>
            <Tbody>
              {projects.map((p) => (
                <Tr key={p.id}>
                  <Td dataLabel="Title">
                    <Link to={`/admin/projects/${p.id}`}>{p.title || p.name}</Link>
                  </Td>
                  <Td dataLabel="Name">{p.name}</Td>
                  <Td dataLabel="Owner">{p.owner ? p.owner.name || p.owner.email : '–'}</Td>
                  <Td dataLabel="Members">{(p.users ?? []).length}</Td>
                  <Td dataLabel="Retention">
                    {describeRetention(p.retention?.run_days)} / {describeRetention(p.retention?.result_days)}
                  </Td>
                  <Td isActionCell>
                    <Flex gap={{ default: 'gapSm' }} flexWrap={{ default: 'nowrap' }} justifyContent={{ default: 'justifyContentFlexEnd' }}>
                      <Button variant="secondary" size="sm" component={(props: object) => <Link {...props} to={`/admin/projects/${p.id}`} />} aria-label={`Edit ${p.name}`}>Edit</Button>
                      <Button variant="secondary" isDanger size="sm" onClick={() => setDeleting(p)} aria-label={`Delete ${p.name}`}>Delete</Button>
                    </Flex>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
        {projects.length > 0 && (
          <Pagination
            itemCount={data?.pagination.totalItems ?? 0}
            page={page}
            perPage={pageSize}
            onSetPage={(_e, p) => set({ page: p })}
            onPerPageSelect={(_e, s) => set({ pageSize: s, page: 1 })}
            variant="bottom"
            titles={{ paginationAriaLabel: 'Projects pagination (bottom)' }}
          />
        )}
      </PageSection>
      <DeleteConfirmModal
        isOpen={deleting !== null}
        kind="project"
        name={deleting?.name ?? ''}
        requireTyping
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          await api(`admin/project/${deleting!.id}`, { method: 'DELETE' });
          setDeleting(null);
          reload();
        }}
      >
        <p>Its runs, results, dashboards and widgets are kept but no longer belong to a project.</p>
      </DeleteConfirmModal>
    </>
  );
}
