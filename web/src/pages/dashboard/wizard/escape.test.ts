// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { escapeClosesDialog } from './escape';

describe('Escape in the wizard', () => {
  const make = (html: string) => {
    const div = document.createElement('div');
    div.innerHTML = html;
    document.body.append(div);
    return div.firstElementChild as Element;
  };
  it('stays in text fields, lists and menus', () => {
    expect(escapeClosesDialog(make('<input type="text">'))).toBe(false);
    expect(escapeClosesDialog(make('<input>'))).toBe(false);
    expect(escapeClosesDialog(make('<input type="number">'))).toBe(false);
    expect(escapeClosesDialog(make('<textarea></textarea>'))).toBe(false);
    expect(escapeClosesDialog(make('<select></select>'))).toBe(false);
    expect(escapeClosesDialog(make('<ul role="listbox"><li><button>x</button></li></ul>').querySelector('button'))).toBe(false);
  });
  it('closes the dialog from buttons, checkboxes, radios and the dialog itself', () => {
    expect(escapeClosesDialog(make('<button>Next</button>'))).toBe(true);
    expect(escapeClosesDialog(make('<input type="checkbox">'))).toBe(true);
    expect(escapeClosesDialog(make('<input type="radio">'))).toBe(true);
    expect(escapeClosesDialog(make('<div role="dialog"></div>'))).toBe(true);
    expect(escapeClosesDialog(null)).toBe(true);
  });
});
