// Profile: the caller's own name (PUT /api/user) and password (the same
// endpoint re-hashes a `password`); e-mail and roles are shown read-only.
// A password change ends every older login token, this page's included, so
// the page logs in again with the new password to keep the user signed in.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  ActionGroup,
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormGroup,
  Grid,
  GridItem,
  Label,
  PageSection,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { api, errorText } from '../../api/client';
import type { Session } from '../../auth/AuthContext';
import { useAuth } from '../../auth/AuthContext';
import { Loading } from '../../components/states';
import { ErrorAlert, FieldHelp } from '../../components/forms';
import { passwordProblem } from './tokens';

export function ProfilePage() {
  const { user, refreshUser, login } = useAuth();
  const [name, setName] = useState('');
  const [nameState, setNameState] = useState<{ saving: boolean; error: string | null; saved: boolean }>({ saving: false, error: null, saved: false });
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const [pwState, setPwState] = useState<{ saving: boolean; error: string | null; saved: boolean }>({ saving: false, error: null, saved: false });

  useEffect(() => setName(user?.name ?? ''), [user]);
  if (!user) return <Loading />;

  const saveName = async (e: React.FormEvent) => {
    e.preventDefault();
    setNameState({ saving: true, error: null, saved: false });
    try {
      await api('user', { method: 'PUT', body: { name: name.trim() || null } });
      await refreshUser();
      setNameState({ saving: false, error: null, saved: true });
    } catch (err) {
      setNameState({ saving: false, error: errorText(err), saved: false });
    }
  };

  const problem = passwordProblem(pw, pw2);
  const savePassword = async (e: React.FormEvent) => {
    e.preventDefault();
    if (problem) return;
    setPwState({ saving: true, error: null, saved: false });
    try {
      await api('user', { method: 'PUT', body: { password: pw }, noAuthRedirect: true });
      login(await api<Session>('login', { method: 'POST', body: { email: user.email, password: pw }, noAuthRedirect: true }));
      setPw('');
      setPw2('');
      setPwState({ saving: false, error: null, saved: true });
    } catch (err) {
      setPwState({ saving: false, error: errorText(err), saved: false });
    }
  };

  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Profile</Title>
      </PageSection>
      <PageSection>
        <Grid hasGutter>
          <GridItem lg={6}>
            <Card>
              <CardTitle>Account</CardTitle>
              <CardBody>
                <DescriptionList isHorizontal>
                  <DescriptionListGroup>
                    <DescriptionListTerm>E-mail</DescriptionListTerm>
                    <DescriptionListDescription>{user.email}</DescriptionListDescription>
                  </DescriptionListGroup>
                  <DescriptionListGroup>
                    <DescriptionListTerm>Role</DescriptionListTerm>
                    <DescriptionListDescription>
                      {user.is_superadmin ? (
                        <Label color="purple" isCompact>
                          Superadmin
                        </Label>
                      ) : (
                        <Label isCompact>User</Label>
                      )}
                    </DescriptionListDescription>
                  </DescriptionListGroup>
                  <DescriptionListGroup>
                    <DescriptionListTerm>API tokens</DescriptionListTerm>
                    <DescriptionListDescription>
                      <Link to="/profile/tokens">Manage API tokens</Link>
                    </DescriptionListDescription>
                  </DescriptionListGroup>
                </DescriptionList>
                <Form onSubmit={saveName} style={{ marginTop: 'var(--pf-t--global--spacer--lg)' }}>
                  <ErrorAlert title="Could not save your name" error={nameState.error} />
                  {nameState.saved && <Alert variant="success" isInline title="Name saved" />}
                  <FormGroup label="Name" fieldId="profile-name">
                    <TextInput
                      id="profile-name"
                      value={name}
                      onChange={(_e, v) => {
                        setName(v);
                        setNameState((s) => ({ ...s, saved: false }));
                      }}
                    />
                  </FormGroup>
                  <ActionGroup>
                    <Button type="submit" variant="primary" isLoading={nameState.saving} isDisabled={nameState.saving || name === (user.name ?? '')}>
                      Save name
                    </Button>
                  </ActionGroup>
                </Form>
              </CardBody>
            </Card>
          </GridItem>
          <GridItem lg={6}>
            <Card>
              <CardTitle>Change password</CardTitle>
              <CardBody>
                <Form onSubmit={savePassword}>
                  <ErrorAlert title="Could not change the password" error={pwState.error} />
                  {pwState.saved && <Alert variant="success" isInline title="Password changed" />}
                  <FormGroup label="New password" fieldId="profile-password">
                    <TextInput
                      id="profile-password"
                      type="password"
                      autoComplete="new-password"
                      value={pw}
                      onChange={(_e, v) => {
                        setPw(v);
                        setPwState((s) => ({ ...s, saved: false }));
                      }}
                    />
                  </FormGroup>
                  <FormGroup label="Repeat the new password" fieldId="profile-password2">
                    <TextInput
                      id="profile-password2"
                      type="password"
                      autoComplete="new-password"
                      value={pw2}
                      onChange={(_e, v) => setPw2(v)}
                      validated={pw2 && problem ? 'error' : 'default'}
                    />
                    <FieldHelp error={pw2 ? problem : null}>At least 8 characters, at most 72 bytes.</FieldHelp>
                  </FormGroup>
                  <ActionGroup>
                    <Button type="submit" variant="primary" isLoading={pwState.saving} isDisabled={pwState.saving || !!problem}>
                      Change password
                    </Button>
                  </ActionGroup>
                </Form>
              </CardBody>
            </Card>
          </GridItem>
        </Grid>
      </PageSection>
    </>
  );
}
