import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples and tests import the package by its public names; inside the repo those are the sources.
    alias: [
      { find: /^@semantest\/ws-kit\/vitest$/, replacement: src('vitest.ts') },
      { find: /^@semantest\/ws-kit\/jest$/, replacement: src('jest.ts') },
      { find: /^@semantest\/ws-kit$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
