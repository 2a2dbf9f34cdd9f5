// A project's webhooks (docs/notifications.md): the subscriptions with add,
// edit, delete and "Send test event", and the delivery log of the selected
// one. Only the project's owner and superadmins may open it (the API says
// 403 to anyone else).
import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Content,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Label,
  LabelGroup,
  Modal,
  ModalBody,
  ModalHeader,
  PageSection,
  Switch,
  TextInput,
  Title,
  ToolbarItem,
  InputGroup,
  InputGroupItem,
} from '@patternfly/react-core';
import { SyncAltIcon } from '@patternfly/react-icons';
import { Td, Tr } from '@patternfly/react-table';
import { api, errorText } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { Webhook, WebhookDelivery } from '../../api/types';
import { formatDate } from '../../components/format';
import { Empty } from '../../components/states';
import { PageHeading } from '../../components/PageHeading';
import { AddItemButton, ListTable, RowActions } from '../../components/table/DataTable';
import { useProject } from '../../project';
import { useSubmit } from '../../components/useSubmit';
import { DeleteConfirmModal, useDeleteItem } from '../../components/ConfirmModal';
import { ErrorAlert, FieldHelp, ModalActions } from '../../components/forms';
import { bodyOf, emptyForm, eventLabels, formatLabels, formOf, formProblems, randomSecret, type WebhookForm } from './webhooks';

interface WebhookList {
  webhooks: Webhook[];
  events: string[];
  formats: Webhook['format'][];
}

export function WebhooksPage() {
  const { projectId, project } = useProject();
  const path = projectId ? `project/${projectId}/webhooks` : null;
  const list = useApi<WebhookList>(path);
  const { data, reload } = list;
  const deletion = useDeleteItem<Webhook>((h) => `project/${projectId}/webhooks/${h.id}`, reload);
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [logTick, setLogTick] = useState(0);
  const hooks = data?.webhooks ?? [];
  const current = hooks.find((h) => h.id === selected) ?? hooks[0] ?? null;

  const sendTest = async (h: Webhook) => {
    setNotice(null);
    try {
      await api(`project/${projectId}/webhooks/${h.id}/test`, { method: 'POST' });
      setSelected(h.id);
      setLogTick((t) => t + 1);
      setNotice({ ok: true, text: `Test event queued for ${h.name}. The delivery log below shows how it went.` });
    } catch (e) {
      setNotice({ ok: false, text: errorText(e) });
    }
  };

  if (!projectId) {
    return (
      <PageSection>
        <Empty title="Choose a project">Webhooks belong to a project: pick one in the project selector.</Empty>
      </PageSection>
    );
  }
  return (
    <>
      <PageHeading title="Webhooks">
        Tell chat rooms and your own tooling about {project?.title || project?.name || 'this project'}: when a run finishes, when a run has new failures, when a
        test turns flaky and when an import is done or fails. Each request is signed with the webhook's secret (header <code>X-Ibutsu-Signature</code>).
      </PageHeading>
      <PageSection>
        <ListTable
          toolbar={<AddItemButton onClick={() => setEditing('new')}>Add webhook</AddItemButton>}
          notice={
            notice && (
              <Alert
                variant={notice.ok ? 'info' : 'danger'}
                isInline
                title={notice.ok ? 'Test event queued' : 'Could not send the test event'}
                data-testid="webhook-notice"
              >
                {notice.text}
              </Alert>
            )
          }
          api={list}
          empty={hooks.length === 0}
          emptyTitle="No webhooks"
          emptyBody="Add a webhook to send this project's events to Slack, Mattermost, Microsoft Teams or your own service."
          label="Webhooks"
          columns={['Name', 'URL', 'Events', { title: 'Format', modifier: 'nowrap' }, { title: 'State', modifier: 'nowrap' }, { screenReaderText: 'Actions' }]}
        >
          {hooks.map((h) => (
            <Tr key={h.id} isRowSelected={current?.id === h.id}>
              <Td dataLabel="Name">
                <Button variant="link" isInline onClick={() => setSelected(h.id)} aria-label={`Show the delivery log of ${h.name}`}>
                  {h.name}
                </Button>
              </Td>
              <Td dataLabel="URL" modifier="truncate">
                {h.url}
              </Td>
              <Td dataLabel="Events">
                <LabelGroup numLabels={3}>
                  {h.events.map((e) => (
                    <Label key={e} isCompact color="blue">
                      {eventLabels[e] ?? e}
                    </Label>
                  ))}
                </LabelGroup>
              </Td>
              <Td dataLabel="Format">{formatLabels[h.format] ?? h.format}</Td>
              <Td dataLabel="State">
                <Label isCompact status={h.enabled ? 'success' : undefined} color={h.enabled ? undefined : 'grey'}>
                  {h.enabled ? 'Enabled' : 'Disabled'}
                </Label>
              </Td>
              <RowActions
                actions={[
                  { text: 'Send test event', 'aria-label': `Send test event to ${h.name}`, onClick: () => sendTest(h) },
                  { text: 'Edit', 'aria-label': `Edit ${h.name}`, onClick: () => setEditing(h) },
                  { text: 'Delete', 'aria-label': `Delete ${h.name}`, danger: true, onClick: () => deletion.ask(h) },
                ]}
              />
            </Tr>
          ))}
        </ListTable>
      </PageSection>
      {current && <DeliveryLog key={current.id} projectId={projectId} hook={current} tick={logTick} />}
      {editing && (
        <WebhookModal
          projectId={projectId}
          hook={editing === 'new' ? null : editing}
          events={data?.events ?? Object.keys(eventLabels).filter((e) => e !== 'webhook.test')}
          formats={data?.formats ?? ['json', 'slack', 'teams']}
          onClose={(saved) => {
            setEditing(null);
            if (saved) {
              setSelected(saved.id);
              reload();
            }
          }}
        />
      )}
      <DeleteConfirmModal {...deletion.modal} kind="webhook" name={deletion.item?.name ?? ''}>
        <p>Its delivery log goes with it, and events still queued for it are not sent.</p>
      </DeleteConfirmModal>
    </>
  );
}

function statusLabel(d: WebhookDelivery) {
  switch (d.status) {
    case 'delivered':
      return (
        <Label isCompact status="success">
          Delivered
        </Label>
      );
    case 'failed':
      return (
        <Label isCompact status="danger">
          Failed
        </Label>
      );
    default:
      return (
        <Label isCompact status={d.attempts > 0 ? 'warning' : 'info'}>
          {d.attempts > 0 ? 'Retrying' : 'Queued'}
        </Label>
      );
  }
}

/** The delivery log of one webhook; it refreshes itself while a delivery is pending. */
function DeliveryLog({ projectId, hook, tick }: { projectId: string; hook: Webhook; tick: number }) {
  const list = useApi<{ deliveries: WebhookDelivery[] }>(`project/${projectId}/webhooks/${hook.id}/deliveries`);
  const { data, reload } = list;
  const ds = data?.deliveries ?? [];
  const pending = ds.some((d) => d.status === 'pending');
  useEffect(() => {
    if (tick > 0) reload();
  }, [tick, reload]);
  useEffect(() => {
    if (!pending) return;
    const t = setTimeout(reload, 2000);
    return () => clearTimeout(t);
  }, [pending, data, reload]);
  return (
    <PageSection aria-label="Delivery log">
      <ListTable
        toolbar={
          <>
            <ToolbarItem>
              <Title headingLevel="h2">Delivery log: {hook.name}</Title>
            </ToolbarItem>
            <ToolbarItem align={{ default: 'alignEnd' }}>
              <Button variant="plain" icon={<SyncAltIcon />} onClick={reload} aria-label="Refresh the delivery log" />
            </ToolbarItem>
          </>
        }
        api={list}
        empty={ds.length === 0}
        emptyTitle="Nothing sent yet"
        emptyBody="Events this webhook subscribes to show up here, as does a test event."
        label={`Deliveries of ${hook.name}`}
        columns={[
          'Event',
          'Status',
          ...['Attempts', 'Response', 'Last error', 'Queued', 'Last attempt'].map((title) => ({ title, modifier: 'nowrap' as const })),
        ]}
      >
        {ds.map((d) => (
          <Tr key={d.id}>
            <Td dataLabel="Event">
              {eventLabels[d.event] ?? d.event}
              <Content component="small" style={{ display: 'block' }}>
                <code>{d.event_id}</code>
              </Content>
            </Td>
            <Td dataLabel="Status">
              {statusLabel(d)}
              {d.status === 'pending' && d.next_attempt && d.attempts > 0 && (
                <Content component="small" style={{ display: 'block' }}>
                  next {formatDate(d.next_attempt)}
                </Content>
              )}
            </Td>
            <Td dataLabel="Attempts">{d.attempts}</Td>
            <Td dataLabel="Response">{d.response_code ?? '–'}</Td>
            <Td dataLabel="Last error" modifier="breakWord">
              {d.last_error ?? '–'}
            </Td>
            <Td dataLabel="Queued">{formatDate(d.created)}</Td>
            <Td dataLabel="Last attempt">{formatDate(d.last_attempt)}</Td>
          </Tr>
        ))}
      </ListTable>
    </PageSection>
  );
}

function WebhookModal({
  projectId,
  hook,
  events,
  formats,
  onClose,
}: {
  projectId: string;
  hook: Webhook | null;
  events: string[];
  formats: Webhook['format'][];
  onClose: (saved: Webhook | null) => void;
}) {
  const [form, setForm] = useState<WebhookForm>(hook ? formOf(hook) : emptyForm());
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit();
  const problems = formProblems(form, hook !== null);
  const set = <K extends keyof WebhookForm>(k: K, v: WebhookForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const show = (k: keyof WebhookForm) => (touched ? problems[k] : null);

  const save = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setTouched(true);
    if (Object.keys(problems).length > 0 || busy) return;
    await run(async () => {
      const saved = await api<Webhook>(hook ? `project/${projectId}/webhooks/${hook.id}` : `project/${projectId}/webhooks`, {
        method: hook ? 'PUT' : 'POST',
        body: bodyOf(form),
      });
      onClose(saved);
    });
  };

  return (
    <Modal isOpen onClose={() => onClose(null)} variant="medium" aria-labelledby="webhook-modal-title">
      <ModalHeader title={hook ? `Edit webhook ${hook.name}` : 'Add webhook'} labelId="webhook-modal-title" />
      <ModalBody>
        <Form id="webhook-form" onSubmit={save}>
          <ErrorAlert title="Could not save the webhook" error={error} />
          <FormGroup label="Name" isRequired fieldId="webhook-name">
            <TextInput id="webhook-name" isRequired value={form.name} onChange={(_e, v) => set('name', v)} placeholder="e.g. #qe-alerts" autoFocus />
            <FieldHelp error={show('name')} />
          </FormGroup>
          <FormGroup label="URL" isRequired fieldId="webhook-url">
            <TextInput
              id="webhook-url"
              type="url"
              isRequired
              value={form.url}
              onChange={(_e, v) => set('url', v)}
              placeholder="https://hooks.slack.com/services/…"
            />
            <FieldHelp error={show('url')}>
              Addresses in private, loopback and link-local ranges are refused unless the server's allowlist permits them.
            </FieldHelp>
          </FormGroup>
          <FormGroup label="Secret" isRequired={!hook} fieldId="webhook-secret">
            <InputGroup>
              <InputGroupItem isFill>
                <TextInput
                  id="webhook-secret"
                  type="password"
                  value={form.secret}
                  onChange={(_e, v) => set('secret', v)}
                  placeholder={hook ? 'Unchanged' : '16 to 255 characters'}
                  autoComplete="new-password"
                />
              </InputGroupItem>
              <InputGroupItem>
                <Button variant="control" onClick={() => set('secret', randomSecret())}>
                  Generate
                </Button>
              </InputGroupItem>
            </InputGroup>
            <FieldHelp error={show('secret')}>
              Signs every request (HMAC-SHA256). It is never shown again: {form.secret ? <code>{form.secret}</code> : 'copy it before saving.'}
            </FieldHelp>
          </FormGroup>
          <FormGroup label="Events" isRequired role="group" fieldId="webhook-events">
            {events.map((ev) => (
              <Checkbox
                key={ev}
                id={`webhook-event-${ev}`}
                label={eventLabels[ev] ?? ev}
                description={<code>{ev}</code>}
                isChecked={form.events.includes(ev)}
                onChange={(_e, on) => set('events', on ? [...form.events, ev] : form.events.filter((x) => x !== ev))}
              />
            ))}
            <FieldHelp error={show('events')} />
          </FormGroup>
          <FormGroup label="Format" fieldId="webhook-format">
            <FormSelect id="webhook-format" value={form.format} onChange={(_e, v) => set('format', v as Webhook['format'])} aria-label="Payload format">
              {formats.map((f) => (
                <FormSelectOption key={f} value={f} label={formatLabels[f] ?? f} />
              ))}
            </FormSelect>
          </FormGroup>
          <FormGroup fieldId="webhook-enabled">
            <Switch id="webhook-enabled" label="Enabled" isChecked={form.enabled} onChange={(_e, on) => set('enabled', on)} />
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalActions form="webhook-form" busy={busy} onCancel={() => onClose(null)}>
        {hook ? 'Save' : 'Add webhook'}
      </ModalActions>
    </Modal>
  );
}
