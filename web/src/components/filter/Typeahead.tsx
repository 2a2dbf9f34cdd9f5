// The filter builder's text boxes: free text with suggestions from a local
// list, narrowed as you type (the combobox itself is TypeaheadSelect).
import { useMemo } from 'react';
import { type TypeaheadOption, TypeaheadSelect } from '../typeahead/TypeaheadSelect';

export type { TypeaheadOption };

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: TypeaheadOption[];
  placeholder?: string;
  /** Picking a suggestion calls this instead of onChange(value) (e.g. to append to a list). */
  onPick?: (value: string) => void;
  /** The text the suggestions are matched against (defaults to value). */
  matchText?: string;
  loading?: boolean;
  width?: string;
  /** Shown when nothing matches. */
  emptyText?: string;
}

/** Options containing text (case-insensitive, label or value), best matches first, capped. */
export function matchOptions(options: TypeaheadOption[], text: string, max = 50): TypeaheadOption[] {
  const t = text.trim().toLowerCase();
  if (!t) return options.slice(0, max);
  const hits = options.filter((o) => o.value.toLowerCase().includes(t) || (o.label ?? '').toLowerCase().includes(t));
  const starts = (o: TypeaheadOption) => o.value.toLowerCase().startsWith(t) || (o.label ?? '').toLowerCase().startsWith(t);
  return [...hits.filter(starts), ...hits.filter((o) => !starts(o))].slice(0, max);
}

export function Typeahead({
  id,
  label,
  value,
  onChange,
  options,
  placeholder,
  onPick,
  matchText,
  loading,
  width = '16rem',
  emptyText = 'No suggestions; type any value',
}: Props) {
  const shown = useMemo(() => matchOptions(options, matchText ?? value), [options, matchText, value]);
  return (
    <TypeaheadSelect
      id={id}
      label={label}
      text={value}
      onTextChange={onChange}
      options={shown}
      onPick={onPick ?? onChange}
      selected={value}
      freeText
      onClear={value ? () => onChange('') : undefined}
      emptyText={loading ? 'Loading suggestions…' : emptyText}
      placeholder={placeholder}
      width={width}
    />
  );
}
