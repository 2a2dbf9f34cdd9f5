// PatternFly's bulk-select toggle for a paged table: a checkbox (checked,
// partly checked, clear) with a menu to select none, the page, or every row
// matching the current filters — across pages, which the server then
// applies by filter instead of by ids.
import { useState } from 'react';
import { Dropdown, DropdownItem, DropdownList, MenuToggle, MenuToggleCheckbox } from '@patternfly/react-core';

interface Props {
  /** Rows on the current page. */
  pageCount: number;
  /** Rows matching the filters, on every page (null while unknown). */
  total: number | null;
  /** How many rows are selected (total when allMatching). */
  selectedCount: number;
  allMatching: boolean;
  /** The most rows "select all" may take; above it that item is disabled with the reason. */
  maxAll: number;
  onSelectNone: () => void;
  onSelectPage: () => void;
  onSelectAll: () => void;
}

/** The checkbox's state: checked when everything matching is selected, null (partly) when some are. */
export function bulkCheckState(selectedCount: number, total: number | null, allMatching: boolean): boolean | null {
  if (allMatching || (total !== null && total > 0 && selectedCount >= total)) return true;
  return selectedCount > 0 ? null : false;
}

export function BulkSelect({ pageCount, total, selectedCount, allMatching, maxAll, onSelectNone, onSelectPage, onSelectAll }: Props) {
  const [open, setOpen] = useState(false);
  const state = bulkCheckState(selectedCount, total, allMatching);
  const tooMany = total !== null && total > maxAll;
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      onSelect={() => setOpen(false)}
      toggle={(ref) => (
        <MenuToggle
          ref={ref}
          onClick={() => setOpen(!open)}
          isExpanded={open}
          aria-label="Bulk selection"
          data-testid="bulk-select"
          splitButtonItems={[
            <MenuToggleCheckbox
              id="bulk-select-checkbox"
              key="check"
              aria-label={state ? 'Select none' : 'Select page'}
              isChecked={state}
              onChange={(on) => (on && !state ? onSelectPage() : onSelectNone())}
            >
              {selectedCount > 0 ? `${selectedCount} selected` : ''}
            </MenuToggleCheckbox>,
          ]}
        />
      )}
    >
      <DropdownList>
        <DropdownItem key="none" onClick={onSelectNone}>
          Select none (0)
        </DropdownItem>
        <DropdownItem key="page" onClick={onSelectPage} isDisabled={!pageCount}>
          Select page ({pageCount})
        </DropdownItem>
        <DropdownItem
          key="all"
          onClick={onSelectAll}
          isDisabled={!total || tooMany}
          description={tooMany ? `At most ${maxAll} at a time; narrow the list first.` : undefined}
          data-testid="bulk-select-all"
        >
          Select all {total ?? ''} matching
        </DropdownItem>
      </DropdownList>
    </Dropdown>
  );
}
