// Admin → Users: every account with its projects and status, searched by
// name or e-mail on the server, paginated; edit and delete from each row.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Button, Flex, Label, LabelGroup, PageSection, Pagination, SearchInput, Title, ToggleGroup, ToggleGroupItem, Toolbar,
  ToolbarContent, ToolbarItem, Content,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { Pagination as Pag, User } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Empty, ErrorState, Loading } from '../../components/states';
import { AdminGuard } from './AdminGuard';
import { DeleteConfirmModal } from './common';

type Field = 'name' | 'email';

export function UserListPage() {
  return (
    <AdminGuard>
      <UserList />
    </AdminGuard>
  );
}

function UserList() {
  const { user: me } = useAuth();
  const [params, setParams] = useSearchParams();
  const field: Field = params.get('field') === 'email' ? 'email' : 'name';
  const q = params.get('q') ?? '';
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  const [text, setText] = useState(q);
  const [deleting, setDeleting] = useState<User | null>(null);

  const set = (changes: Record<string, string | number | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '' || (k === 'page' && v === 1)) next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next, { replace: true });
  };

  const { data, error, loading, reload } = useApi<{ users: User[]; pagination: Pag }>('admin/user', {
    query: { filter: q ? [`${field}%${q}`] : undefined, page, pageSize },
  });
  const users = data?.users ?? [];

  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Users</Title>
        <Content component="p">Accounts, their project memberships and roles.</Content>
      </PageSection>
      <PageSection>
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <ToggleGroup aria-label="Search by">
                <ToggleGroupItem text="Name" isSelected={field === 'name'} onChange={() => set({ field: null, page: 1 })} />
                <ToggleGroupItem text="E-mail" isSelected={field === 'email'} onChange={() => set({ field: 'email', page: 1 })} />
              </ToggleGroup>
            </ToolbarItem>
            <ToolbarItem style={{ minWidth: '20rem' }}>
              <SearchInput
                aria-label={`Search users by ${field === 'email' ? 'e-mail' : 'name'}`}
                placeholder={`Search by ${field === 'email' ? 'e-mail' : 'name'}`}
                value={text}
                onChange={(_e, v) => setText(v)}
                onSearch={(_e, v) => set({ q: v, page: 1 })}
                onClear={() => { setText(''); set({ q: null, page: 1 }); }}
              />
            </ToolbarItem>
            <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
              <Pagination
                itemCount={data?.pagination.totalItems ?? 0}
                page={page}
                perPage={pageSize}
                onSetPage={(_e, p) => set({ page: p })}
                onPerPageSelect={(_e, s) => set({ pageSize: s, page: 1 })}
                isCompact
                titles={{ paginationAriaLabel: 'Users pagination (top)' }}
              />
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        {loading && !data ? (
          <Loading />
        ) : error ? (
          <ErrorState error={error} onRetry={reload} />
        ) : users.length === 0 ? (
          <Empty title="No users found">{q ? 'No user matches the search.' : 'There are no users yet.'}</Empty>
        ) : (
          <Table aria-label="Users" variant="compact">
            <Thead>
              <Tr>
                <Th>Name</Th>
                <Th>E-mail</Th>
                <Th>Projects</Th>
                <Th>Status</Th>
                <Th screenReaderText="Actions" />
              </Tr>
            </Thead>
            <Tbody>
              {users.map((u) => (
                <Tr key={u.id}>
                  <Td dataLabel="Name">
                    <Link to={`/admin/users/${u.id}`}>{u.name || '(no name)'}</Link>
                  </Td>
                  <Td dataLabel="E-mail">{u.email}</Td>
                  <Td dataLabel="Projects">
                    {(u.projects ?? []).length === 0 ? (
                      <span className="pf-v6-u-color-200">none</span>
                    ) : (
                      <LabelGroup numLabels={3} aria-label={`Projects of ${u.email}`}>
                        {(u.projects ?? []).map((p) => <Label key={p.id} isCompact>{p.title || p.name}</Label>)}
                      </LabelGroup>
                    )}
                  </Td>
                  <Td dataLabel="Status">
                    <LabelGroup aria-label={`Status of ${u.email}`}>
                      {u.is_active ? <Label isCompact status="success">Active</Label> : <Label isCompact color="grey">Inactive</Label>}
                      {u.is_superadmin && <Label isCompact color="purple">Superadmin</Label>}
                    </LabelGroup>
                  </Td>
                  <Td isActionCell>
                    <Flex gap={{ default: 'gapSm' }} flexWrap={{ default: 'nowrap' }} justifyContent={{ default: 'justifyContentFlexEnd' }}>
                      <Button variant="secondary" size="sm" component={(p: object) => <Link {...p} to={`/admin/users/${u.id}`} />} aria-label={`Edit ${u.email}`}>Edit</Button>
                      <Button variant="secondary" isDanger size="sm" isDisabled={u.id === me?.id} onClick={() => setDeleting(u)} aria-label={`Delete ${u.email}`}>
                        Delete
                      </Button>
                    </Flex>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
        {users.length > 0 && (
          <Pagination
            itemCount={data?.pagination.totalItems ?? 0}
            page={page}
            perPage={pageSize}
            onSetPage={(_e, p) => set({ page: p })}
            onPerPageSelect={(_e, s) => set({ pageSize: s, page: 1 })}
            variant="bottom"
            titles={{ paginationAriaLabel: 'Users pagination (bottom)' }}
          />
        )}
      </PageSection>
      <DeleteConfirmModal
        isOpen={deleting !== null}
        kind="user"
        name={deleting?.email ?? ''}
        requireTyping
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          await api(`admin/user/${deleting!.id}`, { method: 'DELETE' });
          setDeleting(null);
          reload();
        }}
      >
        <p>Their tokens and memberships go too; projects and dashboards they own pass to you.</p>
      </DeleteConfirmModal>
    </>
  );
}
