// Admin → Users → one user: name, e-mail, active, superadmin and project
// membership (the PUT replaces the membership with the list sent).
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Card, CardBody, CardTitle, Form, FormGroup, Label, LabelGroup, PageSection, Switch, TextInput, Flex, FlexItem } from '@patternfly/react-core';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { Project, User } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { PageLoadState } from '../../components/states';
import { AdminGuard } from './AdminGuard';
import { AsyncSelect, type AsyncOption } from '../../components/typeahead/AsyncSelect';
import { ErrorAlert, FormButtons } from '../../components/forms';
import { useSubmit } from '../../components/useSubmit';
import { AdminEditHeading } from './common';

export function UserEditPage() {
  return (
    <AdminGuard>
      <UserEdit />
    </AdminGuard>
  );
}

/** Loads projects for the membership picker (title contains the text). */
export async function searchProjects(text: string, signal: AbortSignal): Promise<AsyncOption[]> {
  const d = await api<{ projects: Project[] }>('admin/project', {
    query: { filter: text ? [`title%${text}`] : undefined, pageSize: 25 },
    signal,
  });
  return (d.projects ?? []).map((p) => ({ value: p.id, label: p.title || p.name, description: p.name }));
}

function UserEdit() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { user: me, refreshUser } = useAuth();
  const { data, error, loading, reload } = useApi<User>(`admin/user/${id}`);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [active, setActive] = useState(false);
  const [superadmin, setSuperadmin] = useState(false);
  const [projects, setProjects] = useState<Project[]>([]);
  const [pick, setPick] = useState<AsyncOption | null>(null);
  const { busy: saving, error: saveError, run } = useSubmit();

  useEffect(() => {
    if (!data) return;
    setName(data.name ?? '');
    setEmail(data.email);
    setActive(!!data.is_active);
    setSuperadmin(!!data.is_superadmin);
    setProjects(data.projects ?? []);
  }, [data]);

  if (!data || error) return <PageLoadState data={data} error={error} loading={loading} reload={reload} />;

  const addProject = (o: AsyncOption | null) => {
    setPick(null);
    if (!o || projects.some((p) => p.id === o.value)) return;
    setProjects([...projects, { id: o.value, title: o.label, name: o.description ?? o.label }]);
  };

  const save = async (e?: React.FormEvent) => {
    e?.preventDefault();
    await run(async () => {
      await api(`admin/user/${id}`, {
        method: 'PUT',
        body: { name: name.trim() || null, email: email.trim(), is_active: active, is_superadmin: superadmin, projects: projects.map((p) => ({ id: p.id })) },
      });
      if (me?.id === id) await refreshUser().catch(() => undefined);
      navigate('/admin/users');
    });
  };

  return (
    <>
      <AdminEditHeading listTo="/admin/users" listTitle="Users" current={data.email} title="Edit user" />
      <PageSection>
        <Form onSubmit={save} style={{ maxWidth: '48rem' }}>
          <ErrorAlert title="Could not save the user" error={saveError} />
          <FormGroup label="Name" fieldId="user-name">
            <TextInput id="user-name" value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
          <FormGroup label="E-mail" isRequired fieldId="user-email">
            <TextInput id="user-email" type="email" isRequired value={email} onChange={(_e, v) => setEmail(v)} />
          </FormGroup>
          <FormGroup label="Status" fieldId="user-active" role="group" isStack>
            <Switch id="user-active" label="Active (can log in)" isChecked={active} onChange={(_e, v) => setActive(v)} />
            <Switch id="user-superadmin" label="Superadmin (administers users and projects)" isChecked={superadmin} onChange={(_e, v) => setSuperadmin(v)} />
          </FormGroup>
          <Card isCompact>
            <CardTitle>Projects</CardTitle>
            <CardBody>
              <Flex direction={{ default: 'column' }} gap={{ default: 'gapMd' }}>
                <FlexItem>
                  {projects.length === 0 ? (
                    <span data-testid="no-projects">Not a member of any project.</span>
                  ) : (
                    <LabelGroup numLabels={20} aria-label="Member of">
                      {projects.map((p) => (
                        <Label
                          key={p.id}
                          color="blue"
                          onClose={() => setProjects(projects.filter((x) => x.id !== p.id))}
                          closeBtnAriaLabel={`Remove ${p.title || p.name}`}
                        >
                          {p.title || p.name}
                        </Label>
                      ))}
                    </LabelGroup>
                  )}
                </FlexItem>
                <FlexItem style={{ maxWidth: '28rem' }}>
                  <AsyncSelect
                    id="user-add-project"
                    aria-label="Add to project"
                    placeholder="Add to project…"
                    selected={pick}
                    onSelect={addProject}
                    load={searchProjects}
                    clearOnSelect
                  />
                </FlexItem>
              </Flex>
            </CardBody>
          </Card>
          <FormButtons busy={saving} isDisabled={!email.trim()} onCancel={() => navigate('/admin/users')}>
            Save
          </FormButtons>
        </Form>
      </PageSection>
    </>
  );
}
