import { defineConfig } from 'tsup';
import {
  applyBrowserEsbuildOptions,
  BROWSER_AREA_ENTRIES,
  BROWSER_BUNDLED_DEPENDENCIES,
  BROWSER_ENTRY,
  BROWSER_TARGET,
} from './scripts/browser-build.js';

/**
 * Two builds:
 * - node: ESM + CJS with `.d.ts`/`.d.cts`; dependencies stay external (fast-crc32c picks its SSE4.2
 *   native path when it built, its pure-JS table otherwise).
 * - browser: ESM + CJS with types, everything that runs without Node. fast-crc32c is aliased to
 *   crc-32's CRC32C (src/internal/browser-crc32c.ts) and bundled. No Node built-in reaches
 *   the browser bundle; scripts/check-package.mjs proves it. The esbuild options live in
 *   scripts/browser-build.ts, which test/browser also builds with before loading the bundle in Chromium.
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
    // ESM, split by area: index.js re-exports shared chunks, and the package is side-effect free,
    // so a bundler drops the chunks an app does not import (and their dependencies, e.g.
    // hdr-histogram-js when only ResilientClient is used). One file would keep every top-level
    // CommonJS import alive.
    entry: { index: BROWSER_ENTRY, ...BROWSER_AREA_ENTRIES },
    outDir: 'dist/browser',
    format: ['esm'],
    platform: 'browser',
    target: BROWSER_TARGET,
    dts: { entry: { index: BROWSER_ENTRY }, compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: true,
    noExternal: [...BROWSER_BUNDLED_DEPENDENCIES],
    esbuildOptions: applyBrowserEsbuildOptions,
  },
  {
    entry: { index: BROWSER_ENTRY },
    outDir: 'dist/browser',
    format: ['cjs'],
    platform: 'browser',
    target: BROWSER_TARGET,
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: false,
    treeshake: true,
    splitting: false,
    noExternal: [...BROWSER_BUNDLED_DEPENDENCIES],
    esbuildOptions: applyBrowserEsbuildOptions,
  },
]);
