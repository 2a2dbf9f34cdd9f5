// Escape in a dialog with a form: pressed in a text field (or in a
// field's open suggestion menu) it belongs to that field — clearing a
// browser autocomplete, closing a menu — and must not throw away the whole
// dialog; pressed anywhere else it closes the dialog.

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'number', 'email', 'url', 'tel', 'password', 'date', 'datetime-local', 'time', '']);

/** Whether an Escape keydown with this target should close the dialog. */
export function escapeClosesDialog(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return true;
  if (target.closest('[role="listbox"], [role="menu"], .pf-v6-c-menu')) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return false;
  if (target instanceof HTMLInputElement) return !TEXT_INPUT_TYPES.has(target.type);
  return !(target as HTMLElement).isContentEditable;
}
