// The free-text search of a list: "contains" on one text field (the results
// list searches test ids, the runs list sources), kept in the URL as an ordinary filter
// (`test_id%login`) so it shows among the active filters and a link
// reproduces it. The server's `%` is a case-insensitive substring match that
// no index serves: on a large project it reads every result the other
// filters leave, under the server's time limit for such filters — so the
// helper text suggests narrowing by run or time first.
import { useEffect, useState } from 'react';
import { HelperText, HelperTextItem, SearchInput } from '@patternfly/react-core';
import type { Filter } from './filters';

interface Props {
  /** The text field searched, e.g. test_id. */
  field: string;
  /** Placeholder and accessible name, e.g. "Search test IDs". */
  label: string;
  /** What the search matches, shown under the box. */
  hint: string;
  filters: Filter[];
  onChange: (filters: Filter[]) => void;
}

/** The search's current text: the value of the first `field%...` filter. */
export function searchText(filters: Filter[], field: string): string {
  return filters.find((f) => f.field === field && f.op === '%')?.value ?? '';
}

/** filters with the search on field replaced by text (removed when text is blank). */
export function withSearch(filters: Filter[], field: string, text: string): Filter[] {
  const rest = filters.filter((f) => !(f.field === field && f.op === '%'));
  const t = text.trim();
  return t ? [...rest, { field, op: '%', value: t }] : rest;
}

export function SearchBox({ field, label, hint, filters, onChange }: Props) {
  const current = searchText(filters, field);
  const [text, setText] = useState(current);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(current), [current]);

  const search = (v: string) => {
    if (v.includes(',')) {
      setError('The search cannot contain a comma.');
      return;
    }
    setError(null);
    onChange(withSearch(filters, field, v));
  };
  return (
    <div className="ibutsu-search-box">
      <SearchInput
        aria-label={label}
        placeholder={label}
        value={text}
        onChange={(_e, v) => setText(v)}
        onSearch={(_e, v) => search(v)}
        onClear={() => {
          setText('');
          setError(null);
          onChange(withSearch(filters, field, ''));
        }}
        style={{ maxWidth: '32rem' }}
      />
      <HelperText>
        {error ? (
          <HelperTextItem variant="error" data-testid="search-error">
            {error}
          </HelperTextItem>
        ) : (
          <HelperTextItem>{hint}</HelperTextItem>
        )}
      </HelperText>
    </div>
  );
}
