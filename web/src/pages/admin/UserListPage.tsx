// Admin → Users: every account with its projects and status, searched by
// name or e-mail on the server, paginated; edit and delete from each row.
import { Link } from 'react-router-dom';
import { Label, LabelGroup, ToggleGroup, ToggleGroupItem, ToolbarItem } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import type { User } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { AdminGuard } from './AdminGuard';
import { AdminListPage, AdminRowActions, useAdminList } from './common';

type Field = 'name' | 'email';

const fieldOf = (params: URLSearchParams): Field => (params.get('field') === 'email' ? 'email' : 'name');

export function UserListPage() {
  return (
    <AdminGuard>
      <UserList />
    </AdminGuard>
  );
}

function UserList() {
  const { user: me } = useAuth();
  const list = useAdminList<User>({ endpoint: 'admin/user', itemsKey: 'users', searchField: fieldOf });
  const field = fieldOf(list.params);
  const fieldText = field === 'email' ? 'e-mail' : 'name';

  return (
    <AdminListPage
      list={list}
      title="Users"
      description="Accounts, their project memberships and roles."
      searchLabel={`Search users by ${fieldText}`}
      searchPlaceholder={`Search by ${fieldText}`}
      toolbarStart={
        <ToolbarItem>
          <ToggleGroup aria-label="Search by">
            <ToggleGroupItem text="Name" isSelected={field === 'name'} onChange={() => list.set({ field: null, page: 1 })} />
            <ToggleGroupItem text="E-mail" isSelected={field === 'email'} onChange={() => list.set({ field: 'email', page: 1 })} />
          </ToggleGroup>
        </ToolbarItem>
      }
      emptyTitle="No users found"
      emptySearched="No user matches the search."
      emptyNone="There are no users yet."
      kind="user"
      nameOf={(u) => u.email}
      columns={['Name', 'E-mail', 'Projects', 'Status', { screenReaderText: 'Actions' }]}
      deleteNote={<p>Their tokens and memberships go too; projects and dashboards they own pass to you.</p>}
    >
      {list.items.map((u) => (
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
                {(u.projects ?? []).map((p) => (
                  <Label key={p.id} isCompact>
                    {p.title || p.name}
                  </Label>
                ))}
              </LabelGroup>
            )}
          </Td>
          <Td dataLabel="Status">
            <LabelGroup aria-label={`Status of ${u.email}`}>
              {u.is_active ? (
                <Label isCompact status="success">
                  Active
                </Label>
              ) : (
                <Label isCompact color="grey">
                  Inactive
                </Label>
              )}
              {u.is_superadmin && (
                <Label isCompact color="purple">
                  Superadmin
                </Label>
              )}
            </LabelGroup>
          </Td>
          <AdminRowActions name={u.email} editTo={`/admin/users/${u.id}`} onDelete={() => list.deletion.ask(u)} deleteDisabled={u.id === me?.id} />
        </Tr>
      ))}
    </AdminListPage>
  );
}
