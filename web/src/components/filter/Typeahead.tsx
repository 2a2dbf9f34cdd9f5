// A text input with a suggestion menu (PatternFly typeahead Select): free
// text is allowed, suggestions narrow as you type, and the keyboard works as
// in a combobox (arrows move through suggestions, Enter picks one, Escape
// closes the menu; Enter without a highlighted suggestion is left to the
// surrounding form).
import { useId, useMemo, useState } from 'react';
import {
  Button,
  MenuToggle,
  type MenuToggleElement,
  Select,
  SelectList,
  SelectOption,
  TextInputGroup,
  TextInputGroupMain,
  TextInputGroupUtilities,
} from '@patternfly/react-core';
import { TimesIcon } from '@patternfly/react-icons';

export interface TypeaheadOption {
  value: string;
  label?: string;
  description?: string;
}

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
  const [open, setOpen] = useState(false);
  const [focused, setFocused] = useState<number | null>(null);
  const listId = useId();
  const shown = useMemo(() => matchOptions(options, matchText ?? value), [options, matchText, value]);

  const pick = (v: string) => {
    if (onPick) onPick(v);
    else onChange(v);
    setOpen(false);
    setFocused(null);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault();
        if (!open) setOpen(true);
        if (!shown.length) return;
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setFocused((f) => (f === null ? (step > 0 ? 0 : shown.length - 1) : (f + step + shown.length) % shown.length));
        break;
      }
      case 'Enter':
        if (open && focused !== null && shown[focused]) {
          e.preventDefault();
          pick(shown[focused].value);
        } else {
          setOpen(false);
        }
        break;
      case 'Escape':
        if (open) {
          e.stopPropagation();
          setOpen(false);
          setFocused(null);
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  const toggle = (ref: React.Ref<MenuToggleElement>) => (
    <MenuToggle ref={ref} variant="typeahead" onClick={() => setOpen(!open)} isExpanded={open} style={{ width }} aria-label={`${label} suggestions`}>
      <TextInputGroup isPlain>
        <TextInputGroupMain
          inputId={id}
          value={value}
          onClick={() => setOpen(true)}
          onChange={(_e, v) => {
            onChange(v);
            setOpen(true);
            setFocused(null);
          }}
          onKeyDown={onKeyDown}
          placeholder={placeholder}
          aria-label={label}
          role="combobox"
          isExpanded={open}
          aria-controls={listId}
          aria-activedescendant={focused !== null ? optionId(focused) : undefined}
          autoComplete="off"
        />
        {value && (
          <TextInputGroupUtilities>
            <Button
              variant="plain"
              aria-label={`Clear ${label.toLowerCase()}`}
              onClick={() => {
                onChange('');
                setFocused(null);
              }}
              icon={<TimesIcon />}
            />
          </TextInputGroupUtilities>
        )}
      </TextInputGroup>
    </MenuToggle>
  );

  return (
    <Select
      isOpen={open}
      selected={value}
      onSelect={(_e, v) => pick(String(v))}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setFocused(null);
      }}
      toggle={toggle}
      variant="typeahead"
      shouldFocusFirstItemOnOpen={false}
      shouldFocusToggleOnSelect
    >
      <SelectList id={listId} aria-label={`${label} suggestions`} style={{ maxHeight: '40vh', overflowY: 'auto' }}>
        {shown.length === 0 ? (
          <SelectOption isDisabled value="__none">
            {loading ? 'Loading suggestions…' : emptyText}
          </SelectOption>
        ) : (
          shown.map((o, i) => (
            <SelectOption key={o.value} id={optionId(i)} value={o.value} isFocused={focused === i} description={o.description}>
              {o.label ?? o.value}
            </SelectOption>
          ))
        )}
      </SelectList>
    </Select>
  );
}
