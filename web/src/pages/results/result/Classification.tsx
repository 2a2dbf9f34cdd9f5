// The result page's classification aids (docs/triage.md): the suggestion
// other classified results with the same failure make, with an Accept
// button, and the audit trail of the result's classification changes.
import { useEffect, useState } from 'react';
import { Button, HelperText, HelperTextItem } from '@patternfly/react-core';
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { api, errorText } from '../../../api/client';
import { useApi } from '../../../api/useApi';
import type { ClassificationChange, Result } from '../../../api/types';
import { classificationLabel } from '../../../components/ClassificationDropdown';
import { formatDate } from '../../../components/format';
import { DataTable } from '../../../components/table/DataTable';
import { TableState } from '../../../components/table/TableState';

export function suggestionText(s: NonNullable<Result['suggested_classification']>): string {
  const n = s.based_on;
  return `${n} ${n === 1 ? 'result' : 'results'} with the same failure ${n === 1 ? 'is' : 'are'} classified ${classificationLabel(s.classification)}`;
}

export function ClassificationSuggestion({ result, onSaved }: { result: Result; onSaved: (r: Result) => void }) {
  const s = result.suggested_classification;
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  if (!s || result.metadata?.classification) return null;
  const accept = async () => {
    setBusy(true);
    setErr(null);
    try {
      const saved = await api<Result>(`result/${result.id}`, { method: 'PUT', body: { metadata: { classification: s.classification } } });
      onSaved({ ...saved, suggested_classification: null });
    } catch (e) {
      setErr(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ibutsu-suggestion" data-testid="classification-suggestion">
      <span className="ibutsu-subtle">Suggested: {suggestionText(s)}.</span>{' '}
      <Button variant="secondary" size="sm" isLoading={busy} isDisabled={busy} onClick={() => void accept()} data-testid="accept-suggestion">
        Accept {classificationLabel(s.classification)}
      </Button>
      {err && (
        <HelperText>
          <HelperTextItem variant="error">Not saved: {err}</HelperTextItem>
        </HelperText>
      )}
    </div>
  );
}

export function changeAuthor(c: ClassificationChange): string {
  if (c.by === 'rule') return 'Automatic rule';
  return c.user_name || (c.user_id ? `User ${c.user_id.slice(0, 8)}` : 'Unknown user');
}

/** The classification changes of a result, newest first; reload when version changes. */
export function ClassificationHistory({ resultId, version }: { resultId: string; version: unknown }) {
  const { data, error, loading, reload } = useApi<{ changes: ClassificationChange[] }>(`result/${resultId}/classification-history`);
  const [seen, setSeen] = useState(version);
  useEffect(() => {
    if (seen !== version) {
      setSeen(version);
      reload();
    }
  }, [version, seen, reload]);
  const changes = data?.changes ?? [];
  return (
    <DataTable label="Classification history" data-testid="classification-history" columns={['When', 'From', 'To', 'By']}>
      <TableState
        colSpan={4}
        loading={loading}
        error={error}
        onRetry={reload}
        empty={!changes.length}
        emptyTitle="Never classified here"
        emptyBody="Changes of this result's classification made through this server are listed here."
      >
        <Tbody>
          {changes.map((c, i) => (
            <Tr key={i}>
              <Td dataLabel="When">{formatDate(c.changed_at)}</Td>
              <Td dataLabel="From">{c.old ? classificationLabel(c.old) : '(unset)'}</Td>
              <Td dataLabel="To">{c.new ? classificationLabel(c.new) : '(unset)'}</Td>
              <Td dataLabel="By">{changeAuthor(c)}</Td>
            </Tr>
          ))}
        </Tbody>
      </TableState>
    </DataTable>
  );
}
