// Profile: the caller's own name (PUT /api/user) and password (the same
// endpoint re-hashes a `password`); e-mail and roles are shown read-only.
// A password change ends every older login token, this page's included, so
// the page logs in again with the new password to keep the user signed in.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Card, CardBody, CardTitle, DescriptionList, Form, FormGroup, Grid, GridItem, Label, PageSection, TextInput } from '@patternfly/react-core';
import { api, errorText } from '../../api/client';
import type { Session } from '../../auth/AuthContext';
import { useAuth } from '../../auth/AuthContext';
import { Loading } from '../../components/states';
import { ErrorAlert, FieldHelp, FormButtons } from '../../components/forms';
import { PageHeading } from '../../components/PageHeading';
import { Term } from '../../components/Term';
import { passwordProblem } from './tokens';

interface SaveState {
  saving: boolean;
  error: string | null;
  saved: boolean;
}

/** A profile form's save: saving while it runs, then "saved" or the server's message; an edit hides "saved". */
function useSave() {
  const [state, setState] = useState<SaveState>({ saving: false, error: null, saved: false });
  const save = async (fn: () => Promise<void>) => {
    setState({ saving: true, error: null, saved: false });
    try {
      await fn();
      setState({ saving: false, error: null, saved: true });
    } catch (err) {
      setState({ saving: false, error: errorText(err), saved: false });
    }
  };
  const edited = () => setState((s) => ({ ...s, saved: false }));
  return { ...state, save, edited };
}

interface SaveFormProps {
  /** The card's title. */
  title: string;
  /** Above the form in the card. */
  before?: React.ReactNode;
  state: SaveState;
  onSubmit: () => void;
  errorTitle: string;
  savedTitle: string;
  submitText: string;
  isDisabled: boolean;
  style?: React.CSSProperties;
  children: React.ReactNode;
}

/** A profile form in its half of the page: a card, the failure or the "saved" note above the fields, the submit button below. */
function SaveCard({ title, before, state, onSubmit, errorTitle, savedTitle, submitText, isDisabled, style, children }: SaveFormProps) {
  return (
    <GridItem lg={6}>
      <Card>
        <CardTitle>{title}</CardTitle>
        <CardBody>
          {before}
          <Form
            onSubmit={(e) => {
              e.preventDefault();
              onSubmit();
            }}
            style={style}
          >
            <ErrorAlert title={errorTitle} error={state.error} />
            {state.saved && <Alert variant="success" isInline title={savedTitle} />}
            {children}
            <FormButtons busy={state.saving} isDisabled={isDisabled}>
              {submitText}
            </FormButtons>
          </Form>
        </CardBody>
      </Card>
    </GridItem>
  );
}

export function ProfilePage() {
  const { user, refreshUser, login } = useAuth();
  const [name, setName] = useState('');
  const nameSave = useSave();
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const pwSave = useSave();

  useEffect(() => setName(user?.name ?? ''), [user]);
  /** A field's change, which hides its form's "saved" note. */
  const edit = (form: { edited: () => void }, set: (v: string) => void, v: string) => {
    set(v);
    form.edited();
  };
  if (!user) return <Loading />;

  const saveName = () => {
    void nameSave.save(async () => {
      await api('user', { method: 'PUT', body: { name: name.trim() || null } });
      await refreshUser();
    });
  };

  const problem = passwordProblem(pw, pw2);
  const savePassword = () => {
    if (problem) return;
    void pwSave.save(async () => {
      await api('user', { method: 'PUT', body: { password: pw }, noAuthRedirect: true });
      login(await api<Session>('login', { method: 'POST', body: { email: user.email, password: pw }, noAuthRedirect: true }));
      setPw('');
      setPw2('');
    });
  };

  return (
    <>
      <PageHeading title="Profile" />
      <PageSection>
        <Grid hasGutter>
          <SaveCard
            title="Account"
            before={
              <DescriptionList isHorizontal>
                <Term term="E-mail">{user.email}</Term>
                <Term term="Role">
                  {user.is_superadmin ? (
                    <Label color="purple" isCompact>
                      Superadmin
                    </Label>
                  ) : (
                    <Label isCompact>User</Label>
                  )}
                </Term>
                <Term term="API tokens">
                  <Link to="/profile/tokens">Manage API tokens</Link>
                </Term>
              </DescriptionList>
            }
            state={nameSave}
            onSubmit={saveName}
            errorTitle="Could not save your name"
            savedTitle="Name saved"
            submitText="Save name"
            isDisabled={name === (user.name ?? '')}
            style={{ marginTop: 'var(--pf-t--global--spacer--lg)' }}
          >
            <FormGroup label="Name" fieldId="profile-name">
              <TextInput id="profile-name" value={name} onChange={(_e, v) => edit(nameSave, setName, v)} />
            </FormGroup>
          </SaveCard>
          <SaveCard
            title="Change password"
            state={pwSave}
            onSubmit={savePassword}
            errorTitle="Could not change the password"
            savedTitle="Password changed"
            submitText="Change password"
            isDisabled={!!problem}
          >
            <FormGroup label="New password" fieldId="profile-password">
              <TextInput id="profile-password" type="password" autoComplete="new-password" value={pw} onChange={(_e, v) => edit(pwSave, setPw, v)} />
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
          </SaveCard>
        </Grid>
      </PageSection>
    </>
  );
}
