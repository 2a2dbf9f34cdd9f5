// Admin → Projects: every project with owner, members and retention,
// searched by title on the server; add, edit and delete.
import { Link, useNavigate } from 'react-router-dom';
import { Td, Tr } from '@patternfly/react-table';
import type { AdminProject } from '../../api/types';
import { AddItemButton } from '../../components/table/DataTable';
import { AdminGuard } from './AdminGuard';
import { AdminListPage, AdminRowActions, useAdminList } from './common';
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
  const list = useAdminList<AdminProject>({ endpoint: 'admin/project', itemsKey: 'projects', searchField: () => 'title' });

  return (
    <AdminListPage
      list={list}
      title="Projects"
      description="Projects, their owners, members and how long their data is kept."
      searchLabel="Search projects by title"
      searchPlaceholder="Search by title"
      toolbarEnd={<AddItemButton onClick={() => navigate('/admin/projects/new')}>Add project</AddItemButton>}
      emptyTitle="No projects found"
      emptySearched="No project matches the search."
      emptyNone="There are no projects yet."
      kind="project"
      nameOf={(p) => p.name}
      columns={['Title', 'Name', 'Owner', 'Members', 'Retention (runs / results)', { screenReaderText: 'Actions' }]}
      deleteNote={<p>Its runs, results, dashboards and widgets are kept but no longer belong to a project.</p>}
    >
      {list.items.map((p) => (
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
          <AdminRowActions name={p.name} editTo={`/admin/projects/${p.id}`} onDelete={() => list.deletion.ask(p)} />
        </Tr>
      ))}
    </AdminListPage>
  );
}
