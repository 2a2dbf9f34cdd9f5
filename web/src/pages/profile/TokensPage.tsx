// API tokens: the caller's tokens (never the login token), a modal that
// creates one with a name and an expiry date and shows the token once, and
// deletion with a confirmation.
import { useState } from 'react';
import {
  Alert,
  Button,
  ClipboardCopy,
  Content,
  DatePicker,
  Form,
  Label,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PageSection,
  TextInput,
} from '@patternfly/react-core';
import { KeyIcon } from '@patternfly/react-icons';
import { Td, Tr } from '@patternfly/react-table';
import { api, errorText } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { ApiToken, Pagination as Pag } from '../../api/types';
import { formatDate } from '../../components/format';
import { PageHeading } from '../../components/PageHeading';
import { AddItemButton, ListTable, RowActions } from '../../components/table/DataTable';
import { ToolbarPaging, useLocalPaging } from '../../components/table/ListPagination';
import { DeleteConfirmModal, useDeleteItem } from '../../components/ConfirmModal';
import { ErrorAlert, FormField, ModalActions } from '../../components/forms';
import { defaultExpiry, expiryProblem, expiryStatus, expiryToISO, parseYmd, ymd } from './tokens';

export function TokensPage() {
  const paging = useLocalPaging(20);
  const [adding, setAdding] = useState(false);
  const list = useApi<{ tokens: ApiToken[]; pagination: Pag }>('user/token', {
    query: { page: paging.page, pageSize: paging.pageSize },
  });
  const { data, reload } = list;
  const deletion = useDeleteItem<ApiToken>((t) => `user/token/${t.id}`, reload);
  const tokens = data?.tokens ?? [];

  return (
    <>
      <PageHeading title="API tokens">
        Tokens let scripts and CI jobs (pytest-ibutsu, the importer, curl) call the API as you: send one as <code>Authorization: Bearer &lt;token&gt;</code>.
      </PageHeading>
      <PageSection>
        <ListTable
          toolbar={
            <>
              <AddItemButton onClick={() => setAdding(true)}>Add token</AddItemButton>
              <ToolbarPaging list={paging} total={data?.pagination.totalItems ?? 0} />
            </>
          }
          api={list}
          empty={tokens.length === 0}
          emptyTitle="No API tokens"
          emptyBody="Add a token to use the API from scripts and CI jobs."
          label="API tokens"
          columns={['Name', 'Expires', { screenReaderText: 'Actions' }]}
        >
          {tokens.map((t) => {
            const st = expiryStatus(t.expires);
            return (
              <Tr key={t.id}>
                <Td dataLabel="Name">
                  <KeyIcon /> {t.name}
                </Td>
                <Td dataLabel="Expires">
                  {formatDate(t.expires)}{' '}
                  <Label isCompact status={st.expired ? 'danger' : st.soon ? 'warning' : undefined} color={st.expired || st.soon ? undefined : 'grey'}>
                    {st.text}
                  </Label>
                </Td>
                <RowActions actions={[{ text: 'Delete', 'aria-label': `Delete token ${t.name}`, danger: true, onClick: () => deletion.ask(t) }]} />
              </Tr>
            );
          })}
        </ListTable>
      </PageSection>
      <AddTokenModal
        isOpen={adding}
        onClose={() => {
          setAdding(false);
          reload();
        }}
      />
      <DeleteConfirmModal {...deletion.modal} kind="token" name={deletion.item?.name ?? ''}>
        <p>Scripts and jobs using it will get 401 Unauthorized from then on.</p>
      </DeleteConfirmModal>
    </>
  );
}

function AddTokenModal({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState(defaultExpiry());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<ApiToken | null>(null);

  const close = () => {
    setName('');
    setExpiry(defaultExpiry());
    setError(null);
    setCreated(null);
    setBusy(false);
    onClose();
  };

  const picked = parseYmd(expiry);
  const dateProblem = !picked ? 'Enter a date as YYYY-MM-DD.' : expiryProblem(picked) || null;
  const valid = name.trim() !== '' && !dateProblem;

  const create = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      const t = await api<ApiToken>('user/token', { method: 'POST', body: { name: name.trim(), expires: expiryToISO(expiry) } });
      setCreated(t);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal isOpen={isOpen} onClose={close} variant="medium" aria-labelledby="add-token-title">
      <ModalHeader title={created ? 'Token created' : 'Add API token'} labelId="add-token-title" />
      <ModalBody>
        {created ? (
          <>
            <Alert variant="warning" isInline title="Copy the token now">
              This is the only time the token is shown. Store it somewhere safe, such as your CI system's secrets.
            </Alert>
            <ClipboardCopy
              isReadOnly
              hoverTip="Copy"
              clickTip="Copied"
              textAriaLabel="API token"
              toggleAriaLabel="Show the whole token"
              style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}
              data-testid="new-token"
            >
              {created.token ?? ''}
            </ClipboardCopy>
            <Content component="small" style={{ display: 'block', marginTop: 'var(--pf-t--global--spacer--sm)' }}>
              <strong>{created.name}</strong> — valid until {formatDate(created.expires)}.
            </Content>
          </>
        ) : (
          <Form id="add-token-form" onSubmit={create}>
            <ErrorAlert title="Could not create the token" error={error} />
            <FormField label="Name" isRequired fieldId="token-name" help="What uses the token, so you know which one to delete later.">
              <TextInput id="token-name" isRequired value={name} onChange={(_e, v) => setName(v)} placeholder="e.g. jenkins-nightly" autoFocus />
            </FormField>
            <FormField
              label="Expires on"
              isRequired
              fieldId="token-expiry"
              error={dateProblem && expiry ? dateProblem : null}
              help="The token stops working at the end of this day."
            >
              <DatePicker
                id="token-expiry"
                value={expiry}
                onChange={(_e, v) => setExpiry(v)}
                dateFormat={ymd}
                dateParse={(s) => parseYmd(s) ?? new Date(NaN)}
                placeholder="YYYY-MM-DD"
                validators={[(d) => expiryProblem(d)]}
                inputProps={{ id: 'token-expiry', 'aria-label': 'Expiry date' }}
                buttonAriaLabel="Pick the expiry date"
                appendTo={() => document.body}
              />
            </FormField>
          </Form>
        )}
      </ModalBody>
      {created ? (
        <ModalFooter>
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        </ModalFooter>
      ) : (
        <ModalActions form="add-token-form" busy={busy} isDisabled={!valid} onCancel={close}>
          Create token
        </ModalActions>
      )}
    </Modal>
  );
}
