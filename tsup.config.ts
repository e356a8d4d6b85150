import { defineConfig } from 'tsup';

/**
 * Two builds:
 * - node: ESM + CJS with `.d.ts`/`.d.cts`; dependencies stay external (fast-crc32c picks its SSE4.2
 *   native path when it built, its pure-JS table otherwise).
 * - browser: ESM + CJS with types, everything that runs without Node. fast-crc32c is aliased to its
 *   pure-JS implementation and bundled; that file calls `Buffer.isBuffer`/`Buffer.from`, so a
 *   two-line `Buffer` stand-in is injected (a Uint8Array is all it needs). No Node built-in reaches
 *   the browser bundle; scripts/check-package.mjs proves it.
 */
export default defineConfig([
  {
    // vitest and jest: the runner matchers (`@semantest/ws-kit/vitest`, `/jest`); each registers
    // itself on import. The runners are optional peer dependencies and stay external.
    entry: { index: 'src/index.ts', vitest: 'src/vitest.ts', jest: 'src/jest.ts' },
    outDir: 'dist/node',
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
  },
  {
    entry: { index: 'src/browser.ts' },
    outDir: 'dist/browser',
    format: ['esm', 'cjs'],
    platform: 'browser',
    target: 'es2022',
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    noExternal: ['fast-crc32c'],
    esbuildOptions(options) {
      options.alias = { 'fast-crc32c': 'fast-crc32c/impls/js_crc32c.js' };
      options.inject = ['src/internal/browser-buffer-shim.ts'];
    },
  },
]);
