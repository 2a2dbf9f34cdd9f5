// The "⋮" actions menu of a thing on the page (a dashboard, a widget): a
// plain toggle named for what it acts on, and items that close the menu
// before they act, so a dialog an item opens is not covered by the menu.
import { useState } from 'react';
import { Dropdown, DropdownItem, DropdownList, MenuToggle } from '@patternfly/react-core';
import { EllipsisVIcon } from '@patternfly/react-icons';

export interface KebabItem {
  key: string;
  text: string;
  onClick: () => void;
  isDisabled?: boolean;
  /** A line under the item's text (why it is disabled, say). */
  description?: string;
}

/**
 * The menu. label names the toggle ("Actions for <title>"); alignRight lines
 * the menu's right edge up with the toggle's, for a toggle at a card's right.
 */
export function KebabMenu({ label, items, alignRight = false }: { label: string; items: KebabItem[]; alignRight?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      popperProps={alignRight ? { position: 'right' } : undefined}
      toggle={(ref) => <MenuToggle ref={ref} variant="plain" aria-label={label} isExpanded={open} onClick={() => setOpen(!open)} icon={<EllipsisVIcon />} />}
    >
      <DropdownList>
        {items.map(({ key, text, onClick, isDisabled, description }) => (
          <DropdownItem
            key={key}
            isDisabled={isDisabled}
            description={description}
            onClick={() => {
              setOpen(false);
              onClick();
            }}
          >
            {text}
          </DropdownItem>
        ))}
      </DropdownList>
    </Dropdown>
  );
}
