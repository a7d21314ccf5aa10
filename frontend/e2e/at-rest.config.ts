import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The at-rest test alone (make test-at-rest): it needs the desktop binary
// from make build and owns the machine's attention for a minute or so.
export default defineConfig({
  ...base,
  testMatch: 'at-rest.spec.ts',
  testIgnore: [],
  fullyParallel: false,
  workers: 1,
});
