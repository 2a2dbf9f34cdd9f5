// Admin → Projects → one project (or "new"): title, name, owner, default
// dashboard, retention per kind of data, members, and deletion.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  Form,
  FormGroup,
  FormSection,
  Grid,
  GridItem,
  Label,
  LabelGroup,
  MenuToggle,
  type MenuToggleElement,
  PageSection,
  Select,
  SelectList,
  SelectOption,
  TextInput,
} from '@patternfly/react-core';
import { api, errorText } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { AdminProject, Dashboard, User } from '../../api/types';
import { PageLoadState } from '../../components/states';
import { AdminGuard } from './AdminGuard';
import { AsyncSelect, type AsyncOption } from '../../components/typeahead/AsyncSelect';
import { DeleteConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert, FieldHelp, FormButtons } from '../../components/forms';
import { useSubmit } from '../../components/useSubmit';
import { AdminEditHeading } from './common';
import { RETENTION_KINDS, type RetentionForm, formToRetention, retentionError, retentionToForm } from './retention';

export function ProjectEditPage() {
  return (
    <AdminGuard>
      <ProjectEdit />
    </AdminGuard>
  );
}

/** Loads users for the owner picker (e-mail or name contains the text). */
async function searchUsers(text: string, signal: AbortSignal): Promise<AsyncOption[]> {
  const field = text.includes('@') ? 'email' : 'name';
  const d = await api<{ users: User[] }>('admin/user', { query: { filter: text ? [`${field}%${text}`] : undefined, pageSize: 25 }, signal });
  let users = d.users ?? [];
  if (text && field === 'name') {
    // also match e-mails, so "admin" finds admin@example.com without a name
    const byEmail = await api<{ users: User[] }>('admin/user', { query: { filter: [`email%${text}`], pageSize: 25 }, signal });
    users = [...users, ...(byEmail.users ?? []).filter((u) => !users.some((x) => x.id === u.id))];
  }
  return users.map(userOption);
}

function userOption(u: User): AsyncOption {
  return { value: u.id, label: u.name || u.email, description: u.name ? u.email : undefined };
}

function ProjectEdit() {
  const { id = '' } = useParams();
  const isNew = id === 'new';
  const navigate = useNavigate();
  const { data, error, loading, reload } = useApi<AdminProject>(isNew ? null : `admin/project/${id}`);
  const dashboards = useApi<{ dashboards: Dashboard[] }>(isNew ? null : 'dashboard', { query: { project_id: id, pageSize: 100 } });

  const [title, setTitle] = useState('');
  const [name, setName] = useState('');
  const [owner, setOwner] = useState<AsyncOption | null>(null);
  const [dashboardId, setDashboardId] = useState<string | null>(null);
  const [dashOpen, setDashOpen] = useState(false);
  const [retention, setRetention] = useState<RetentionForm>(retentionToForm(null));
  const { busy: saving, error: saveError, run } = useSubmit();
  const [deleteOpen, setDeleteOpen] = useState(false);

  useEffect(() => {
    if (!data) return;
    setTitle(data.title ?? '');
    setName(data.name);
    setOwner(data.owner ? userOption(data.owner) : null);
    setDashboardId(data.default_dashboard_id ?? null);
    setRetention(retentionToForm(data.retention));
  }, [data]);

  if (!isNew && (!data || error)) return <PageLoadState data={data} error={error} loading={loading} reload={reload} />;

  const ret = formToRetention(retention);
  const valid = name.trim() !== '' && ret !== null;
  const dashList = dashboards.data?.dashboards ?? [];
  const dashTitle = dashboardId ? (dashList.find((d) => d.id === dashboardId)?.title ?? data?.defaultDashboard?.title ?? dashboardId) : 'None';

  const save = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (!valid) return;
    await run(async () => {
      if (isNew) {
        const created = await api<AdminProject>('admin/project', { method: 'POST', body: { title: title.trim() || null, name: name.trim(), retention: ret } });
        if (owner && owner.value !== created.owner_id) {
          await api(`admin/project/${created.id}`, { method: 'PUT', body: { owner_id: owner.value } });
        }
      } else {
        await api(`admin/project/${id}`, {
          method: 'PUT',
          body: { title: title.trim() || null, name: name.trim(), owner_id: owner?.value ?? null, default_dashboard_id: dashboardId, retention: ret },
        });
      }
      navigate('/admin/projects');
    });
  };

  const label = isNew ? 'New project' : data?.title || data?.name;
  return (
    <>
      <AdminEditHeading listTo="/admin/projects" listTitle="Projects" current={label} title={isNew ? 'Add project' : 'Edit project'} />
      <PageSection>
        <Grid hasGutter>
          <GridItem xl={7} lg={12}>
            <Form onSubmit={save}>
              <ErrorAlert title="Could not save the project" error={saveError} />
              <FormGroup label="Title" fieldId="project-title">
                <TextInput id="project-title" value={title} onChange={(_e, v) => setTitle(v)} />
              </FormGroup>
              <FormGroup label="Name" isRequired fieldId="project-name">
                <TextInput id="project-name" isRequired value={name} onChange={(_e, v) => setName(v)} validated={name.trim() ? 'default' : 'error'} />
                <FieldHelp error={name.trim() ? null : 'A project needs a name.'}>
                  A unique, URL-friendly name; clients may send it as metadata.project.
                </FieldHelp>
              </FormGroup>
              <FormGroup label="Owner" fieldId="project-owner">
                <AsyncSelect id="project-owner" aria-label="Owner" placeholder="Search users…" selected={owner} onSelect={setOwner} load={searchUsers} />
                {isNew && <FieldHelp>Without a choice, you become the owner.</FieldHelp>}
              </FormGroup>
              {!isNew && (
                <FormGroup label="Default dashboard" fieldId="project-dashboard">
                  <Select
                    id="project-dashboard-select"
                    isOpen={dashOpen}
                    selected={dashboardId ?? '__none'}
                    onSelect={(_e, v) => {
                      setDashboardId(v === '__none' ? null : String(v));
                      setDashOpen(false);
                    }}
                    onOpenChange={setDashOpen}
                    toggle={(ref: React.Ref<MenuToggleElement>) => (
                      <MenuToggle
                        ref={ref}
                        id="project-dashboard"
                        onClick={() => setDashOpen(!dashOpen)}
                        isExpanded={dashOpen}
                        isFullWidth
                        isDisabled={dashboards.loading && !dashboards.data}
                      >
                        {dashTitle}
                      </MenuToggle>
                    )}
                    shouldFocusToggleOnSelect
                  >
                    <SelectList aria-label="Dashboards">
                      <SelectOption value="__none">None</SelectOption>
                      {dashList.map((d) => (
                        <SelectOption key={d.id} value={d.id} description={d.description || undefined}>
                          {d.title}
                        </SelectOption>
                      ))}
                    </SelectList>
                  </Select>
                  <FieldHelp error={dashboards.error ? `Could not load dashboards: ${errorText(dashboards.error)}` : null}>
                    {dashList.length === 0 && !dashboards.loading ? 'This project has no dashboards yet.' : 'Opened when someone selects the project.'}
                  </FieldHelp>
                </FormGroup>
              )}
              <FormSection title="Retention" titleElement="h2">
                <Content component="p">
                  Days to keep each kind of data. Leave empty for the server default; <strong>0</strong> keeps it forever.
                </Content>
                <Grid hasGutter md={6}>
                  {RETENTION_KINDS.map((k) => {
                    const err = retentionError(retention[k.key]);
                    return (
                      <GridItem key={k.key}>
                        <FormGroup label={`${k.label} (days)`} fieldId={`retention-${k.key}`}>
                          <TextInput
                            id={`retention-${k.key}`}
                            inputMode="numeric"
                            placeholder="default"
                            value={retention[k.key]}
                            validated={err ? 'error' : 'default'}
                            onChange={(_e, v) => setRetention({ ...retention, [k.key]: v })}
                          />
                          <FieldHelp error={err}>{k.help}</FieldHelp>
                        </FormGroup>
                      </GridItem>
                    );
                  })}
                </Grid>
              </FormSection>
              <FormButtons busy={saving} isDisabled={!valid} onCancel={() => navigate('/admin/projects')}>
                {isNew ? 'Create' : 'Save'}
              </FormButtons>
            </Form>
          </GridItem>
          {!isNew && data && (
            <GridItem xl={5} lg={12}>
              <Card isCompact>
                <CardTitle>Members</CardTitle>
                <CardBody>
                  {(data.users ?? []).length === 0 ? (
                    'Nobody is a member yet.'
                  ) : (
                    <LabelGroup numLabels={30} aria-label="Members">
                      {(data.users ?? []).map((u) => (
                        <Label
                          key={u.id}
                          color="blue"
                          render={({ className, content, componentRef }) => (
                            <Link to={`/admin/users/${u.id}`} className={className} ref={componentRef}>
                              {content}
                            </Link>
                          )}
                        >
                          {u.name || u.email}
                        </Label>
                      ))}
                    </LabelGroup>
                  )}
                  <Content component="small" style={{ display: 'block', marginTop: 'var(--pf-t--global--spacer--sm)' }}>
                    Membership is managed on each user's page.
                  </Content>
                </CardBody>
              </Card>
              <Card isCompact style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
                <CardTitle>Danger zone</CardTitle>
                <CardBody>
                  <Button variant="danger" onClick={() => setDeleteOpen(true)}>
                    Delete project
                  </Button>
                </CardBody>
              </Card>
            </GridItem>
          )}
        </Grid>
      </PageSection>
      {!isNew && data && (
        <DeleteConfirmModal
          isOpen={deleteOpen}
          kind="project"
          name={data.name}
          requireTyping
          onCancel={() => setDeleteOpen(false)}
          onConfirm={async () => {
            await api(`admin/project/${id}`, { method: 'DELETE' });
            navigate('/admin/projects');
          }}
        >
          <p>Its runs, results, dashboards and widgets are kept but no longer belong to a project.</p>
        </DeleteConfirmModal>
      )}
    </>
  );
}
