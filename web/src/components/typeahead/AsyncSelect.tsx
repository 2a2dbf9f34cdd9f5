// A type-ahead select over a server-side search: the suggestions are loaded
// for the typed text (debounced) while the menu is open, and one must be
// picked (the combobox itself is TypeaheadSelect).
import { useEffect, useState } from 'react';
import { Spinner } from '@patternfly/react-core';
import { errorText } from '../../api/client';
import { TypeaheadSelect } from './TypeaheadSelect';

export interface AsyncOption {
  value: string;
  label: string;
  description?: string;
}

interface AsyncSelectProps {
  id: string;
  'aria-label': string;
  placeholder?: string;
  /** The chosen option (shown in the box when not typing). */
  selected: AsyncOption | null;
  onSelect: (o: AsyncOption | null) => void;
  /** Loads the options for the typed text (debounced; "" = the first page). */
  load: (text: string, signal: AbortSignal) => Promise<AsyncOption[]>;
  /** Extra options computed from the text (e.g. "use this pasted id"). */
  extra?: (text: string) => AsyncOption[];
  clearable?: boolean;
  isDisabled?: boolean;
  /** Empty the box after a choice (pickers that add to a list). */
  clearOnSelect?: boolean;
  /** The menu toggle's and clear button's names (default "<aria-label> toggle", "Clear <aria-label>"). */
  toggleLabel?: string;
  clearLabel?: string;
  /** Shown when the search finds nothing. */
  emptyText?: string;
}

export function AsyncSelect({
  id,
  placeholder,
  selected,
  onSelect,
  load,
  extra,
  clearable = true,
  isDisabled,
  clearOnSelect,
  toggleLabel,
  clearLabel,
  emptyText = 'No matches',
  ...rest
}: AsyncSelectProps) {
  const label = rest['aria-label'];
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(selected?.label ?? '');
  const [options, setOptions] = useState<AsyncOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => setText(selected?.label ?? ''), [selected]);
  const query = text !== (selected?.label ?? '') ? text.trim() : '';

  useEffect(() => {
    if (!open) return;
    const ctrl = new AbortController();
    setLoading(true);
    const t = window.setTimeout(
      () => {
        load(query, ctrl.signal)
          .then((o) => {
            setOptions(o);
            setFailed(null);
          })
          .catch((e) => {
            if (!ctrl.signal.aborted) setFailed(errorText(e));
          })
          .finally(() => {
            if (!ctrl.signal.aborted) setLoading(false);
          });
      },
      query ? 250 : 0,
    );
    return () => {
      window.clearTimeout(t);
      ctrl.abort();
    };
    // load is expected to be stable per (id); re-run on text/open only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, open]);

  // Loaded options win over computed ones with the same value (a pasted id
  // shows as the run it names once that has loaded).
  const all = [...(extra ? extra(query) : []).filter((x) => !options.some((o) => o.value === x.value)), ...options];

  const choose = (value: string) => {
    const o = all.find((x) => x.value === value);
    if (o) {
      setText(clearOnSelect ? '' : o.label);
      onSelect(o);
    }
  };

  return (
    <TypeaheadSelect
      id={id}
      label={label}
      toggleLabel={toggleLabel ?? `${label} toggle`}
      clearLabel={clearLabel ?? `Clear ${label}`}
      text={text}
      onTextChange={setText}
      options={all}
      onPick={choose}
      selected={selected?.value}
      onClear={
        clearable && (text || selected)
          ? () => {
              setText('');
              setOptions([]);
              onSelect(null);
            }
          : undefined
      }
      notice={failed ? `Could not load: ${failed}` : undefined}
      emptyText={
        loading ? (
          <>
            <Spinner size="sm" aria-label="Loading" /> Loading…
          </>
        ) : (
          emptyText
        )
      }
      placeholder={placeholder}
      isDisabled={isDisabled}
      appendToBody
      onOpenChange={setOpen}
    />
  );
}
