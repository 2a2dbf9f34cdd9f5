// Add or edit a quarantine entry: pattern (a test id or a glob), reason,
// owner and an optional expiry date. Used by the quarantine page and by the
// result page's "Quarantine this test".
import { useEffect, useState } from 'react';
import { DatePicker, Form, FormGroup, Modal, ModalBody, ModalHeader, TextArea, TextInput } from '@patternfly/react-core';
import { api, errorText } from '../../api/client';
import type { QuarantineEntry } from '../../api/types';
import { ErrorAlert, FieldHelp, ModalActions } from '../../components/forms';
import { parseYmd, ymd } from '../profile/tokens';
import { expiresISO, expiresProblem, patternKind, patternProblem } from './quarantine';

interface Props {
  isOpen: boolean;
  projectId: string;
  /** The entry to edit; absent to add one. */
  entry?: QuarantineEntry | null;
  /** The pattern to start with when adding (e.g. the result's test id). */
  initialPattern?: string;
  onClose: (saved: QuarantineEntry | null) => void;
}

export function QuarantineModal({ isOpen, projectId, entry, initialPattern = '', onClose }: Props) {
  const [pattern, setPattern] = useState('');
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState('');
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    if (!isOpen) return;
    setPattern(entry?.pattern ?? initialPattern);
    setReason(entry?.reason ?? '');
    setOwner(entry?.owner ?? '');
    setExpires(entry?.expires ? ymd(new Date(entry.expires)) : '');
    setError(null);
    setBusy(false);
    setTouched(false);
  }, [isOpen, entry, initialPattern]);

  const pProblem = patternProblem(pattern);
  const rProblem = reason.trim() === '' ? 'Say why the test is quarantined.' : null;
  const eProblem = expiresProblem(expires);
  const valid = !pProblem && !rProblem && !eProblem;

  const save = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setTouched(true);
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    const body = { pattern, reason: reason.trim(), owner: owner.trim() || null, expires: expiresISO(expires) };
    try {
      const saved = entry
        ? await api<QuarantineEntry>(`project/${projectId}/quarantine/${entry.id}`, { method: 'PUT', body })
        : await api<QuarantineEntry>(`project/${projectId}/quarantine`, { method: 'POST', body: { ...body, owner: body.owner ?? undefined } });
      onClose(saved);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  /** A required field's input props: its value, and marked in error once the user has tried to save. */
  const required = (id: string, value: string, set: (v: string) => void, problem: string | null) => ({
    id,
    isRequired: true,
    value,
    onChange: (_e: unknown, v: string) => set(v),
    validated: touched && problem ? ('error' as const) : ('default' as const),
  });

  const title = entry ? 'Edit quarantine entry' : 'Quarantine tests';
  return (
    <Modal isOpen={isOpen} onClose={() => onClose(null)} variant="medium" aria-labelledby="quarantine-modal-title">
      <ModalHeader title={title} labelId="quarantine-modal-title" />
      <ModalBody>
        <Form id="quarantine-form" onSubmit={save}>
          <ErrorAlert title="Could not save" error={error} data-testid="quarantine-error" />
          <FormGroup label="Test id or pattern" isRequired fieldId="quarantine-pattern">
            <TextInput
              {...required('quarantine-pattern', pattern, setPattern, pProblem)}
              placeholder="tests.api.TestOrders.test_create or tests.api.*"
              autoFocus
            />
            <FieldHelp error={pattern || touched ? pProblem : null}>
              {patternKind(pattern) === 'glob'
                ? "A glob: '*' matches any characters, everything else must match exactly."
                : "Matched exactly against the results' test id. Use '*' for a glob."}
            </FieldHelp>
          </FormGroup>
          <FormGroup label="Reason" isRequired fieldId="quarantine-reason">
            <TextArea
              {...required('quarantine-reason', reason, setReason, rProblem)}
              placeholder="Times out on the shared cluster, ticket QE-123"
              resizeOrientation="vertical"
            />
            <FieldHelp error={touched ? rProblem : null} />
          </FormGroup>
          <FormGroup label="Owner" fieldId="quarantine-owner">
            <TextInput id="quarantine-owner" value={owner} onChange={(_e, v) => setOwner(v)} placeholder={entry ? '' : 'you, unless you name someone'} />
            <FieldHelp>A person or a team who looks after it (free text).</FieldHelp>
          </FormGroup>
          <FormGroup label="Expires on" fieldId="quarantine-expires">
            <DatePicker
              value={expires}
              onChange={(_e, v) => setExpires(v)}
              dateFormat={ymd}
              dateParse={(s) => parseYmd(s) ?? new Date(NaN)}
              placeholder="YYYY-MM-DD"
              validators={[(d) => expiresProblem(ymd(d)) ?? '']}
              inputProps={{ id: 'quarantine-expires', 'aria-label': 'Expiry date' }}
              buttonAriaLabel="Pick the expiry date"
              appendTo={() => document.body}
            />
            <FieldHelp error={expires ? eProblem : null}>Optional: the entry stops applying after this day.</FieldHelp>
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalActions form="quarantine-form" busy={busy} onCancel={() => onClose(null)} data-testid="quarantine-save">
        {entry ? 'Save' : 'Quarantine'}
      </ModalActions>
    </Modal>
  );
}
