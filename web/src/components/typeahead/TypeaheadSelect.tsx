// The one type-ahead combobox of the UI (PatternFly typeahead Select): a text
// box with a suggestion menu that works from the keyboard as a combobox does
// (arrows move through the suggestions, Enter picks one, Escape closes the
// menu, Tab leaves). Where the suggestions come from is the caller's business:
// the filter builder matches a local list (filter/Typeahead.tsx), AsyncSelect
// searches the server.
import { useId, useState } from 'react';
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

export interface TypeaheadSelectProps {
  /** The text box's id. */
  id: string;
  /** The text box's accessible name. */
  label: string;
  /** The menu toggle's accessible name (default "<label> suggestions"). */
  toggleLabel?: string;
  /** The clear button's accessible name (default "Clear <label>"). */
  clearLabel?: string;
  /** The text in the box. */
  text: string;
  onTextChange: (text: string) => void;
  /** The suggestions, in the order shown. */
  options: TypeaheadOption[];
  /** The value of the picked suggestion. */
  onPick: (value: string) => void;
  /** The value shown as selected in the menu. */
  selected?: string;
  /**
   * The typed text is a value by itself (a filter value): Enter without a
   * highlighted suggestion closes the menu and is left to the surrounding
   * form. Otherwise Enter picks the only suggestion or opens the menu.
   */
  freeText?: boolean;
  /** Shows a clear button that calls this. */
  onClear?: () => void;
  /** Shown as the only, disabled, entry instead of the suggestions (a load error). */
  notice?: React.ReactNode;
  /** Shown when there are no suggestions. */
  emptyText: React.ReactNode;
  placeholder?: string;
  /** A fixed width; without it the box takes the full width. */
  width?: string;
  isDisabled?: boolean;
  /** Render the menu in document.body (inside modals and cards that clip). */
  appendToBody?: boolean;
  /**
   * Render the menu next to the box. Needed inside a modal: a menu in
   * document.body is outside the dialog, which hides it from assistive
   * technology (the modal marks its siblings aria-hidden).
   */
  inline?: boolean;
  /** Marks the box invalid (the message is the caller's, e.g. a form field's helper text). */
  invalid?: boolean;
  /** Told when the menu opens or closes (AsyncSelect loads while it is open). */
  onOpenChange?: (open: boolean) => void;
}

export function TypeaheadSelect({
  id,
  label,
  toggleLabel = `${label} suggestions`,
  clearLabel = `Clear ${label.toLowerCase()}`,
  text,
  onTextChange,
  options,
  onPick,
  selected,
  freeText = false,
  onClear,
  notice,
  emptyText,
  placeholder,
  width,
  isDisabled,
  appendToBody,
  inline,
  invalid,
  onOpenChange,
}: TypeaheadSelectProps) {
  const [open, setOpenState] = useState(false);
  const [focused, setFocused] = useState<number | null>(null);
  const listId = useId();
  const shown = notice ? [] : options;

  const setOpen = (o: boolean) => {
    setOpenState(o);
    if (!o) setFocused(null);
    if (o !== open) onOpenChange?.(o);
  };

  const pick = (v: string) => {
    setOpen(false);
    onPick(v);
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
        } else if (freeText) {
          setOpen(false);
        } else {
          e.preventDefault();
          if (open && shown.length === 1) pick(shown[0].value);
          else setOpen(true);
        }
        break;
      case 'Escape':
        if (open) {
          e.stopPropagation();
          setOpen(false);
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  const toggle = (ref: React.Ref<MenuToggleElement>) => (
    <MenuToggle
      ref={ref}
      variant="typeahead"
      onClick={() => setOpen(!open)}
      isExpanded={open}
      isDisabled={isDisabled}
      status={invalid ? 'danger' : undefined}
      isFullWidth={!width}
      style={width ? { width } : undefined}
      aria-label={toggleLabel}
    >
      <TextInputGroup isPlain>
        <TextInputGroupMain
          inputId={id}
          value={text}
          onClick={() => setOpen(true)}
          onChange={(_e, v) => {
            onTextChange(v);
            setOpen(true);
            setFocused(null);
          }}
          onKeyDown={onKeyDown}
          placeholder={placeholder}
          aria-label={label}
          role="combobox"
          isExpanded={open}
          aria-controls={listId}
          aria-activedescendant={focused !== null && shown[focused] ? optionId(focused) : undefined}
          autoComplete="off"
        />
        {onClear && !isDisabled && (
          <TextInputGroupUtilities>
            <Button
              variant="plain"
              aria-label={clearLabel}
              onClick={() => {
                onClear();
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
      selected={selected}
      onSelect={(_e, v) => pick(String(v))}
      onOpenChange={setOpen}
      toggle={toggle}
      variant="typeahead"
      shouldFocusFirstItemOnOpen={false}
      shouldFocusToggleOnSelect
      popperProps={inline ? { appendTo: 'inline' } : appendToBody ? { appendTo: () => document.body } : undefined}
    >
      <SelectList id={listId} aria-label={`${label} suggestions`} style={{ maxHeight: '40vh', overflowY: 'auto' }}>
        {notice ? (
          <SelectOption isDisabled value="__notice">
            {notice}
          </SelectOption>
        ) : shown.length === 0 ? (
          <SelectOption isDisabled value="__none">
            {emptyText}
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
