import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';

// findBy*/waitFor wait up to 5 s instead of 1 s: every test file runs twice
// (two time zones, vite.config.ts) on small shared machines, where a first
// render with its mocked requests can take longer than a second.
configure({ asyncUtilTimeout: 5000 });
