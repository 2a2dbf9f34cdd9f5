// Light/dark theme: PatternFly 6 switches every token when the root element
// carries pf-v6-theme-dark. The choice is remembered; the default follows the
// operating system.
const THEME_KEY = 'ibutsu.theme';
export type Theme = 'light' | 'dark';

export function initialTheme(): Theme {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(t: Theme) {
  document.documentElement.classList.toggle('pf-v6-theme-dark', t === 'dark');
  localStorage.setItem(THEME_KEY, t);
}
