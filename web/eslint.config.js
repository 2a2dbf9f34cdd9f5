// ESLint for the UI (`npm run lint` runs it, then `prettier --check`).
// typescript-eslint parses with the JavaScript TypeScript compiler
// (devDependency "typescript", 6.x); type checking itself stays with the
// native compiler (devDependency "typescript7", `npm run typecheck`).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['dist/', 'e2e/artifacts/']),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      // These two React Compiler rules flag patterns the UI uses on purpose
      // without the compiler: resetting local state when a prop changes or a
      // request starts (set-state-in-effect), and reading the clock for
      // relative times on each render (purity).
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/purity': 'off',
    },
  },
  {
    // The end-to-end runner is Node; page.evaluate callbacks run in the browser.
    files: ['e2e/**/*.mjs', 'eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
]);
