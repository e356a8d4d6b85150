/**
 * The esbuild options of the browser build, in one place: tsup.config.ts applies them to the
 * published `dist/browser` bundle and test/browser builds the same entry with them in memory, so
 * the bundle a real browser runs in the tests and the one users get cannot drift apart.
 *
 * fast-crc32c (whose index picks a native addon through `require`) is aliased to
 * src/internal/browser-crc32c.ts, SheetJS crc-32's CRC32C, and bundled: it computes its tables at
 * load time, so it is about 0.9 KB smaller min+gzip than fast-crc32c's pure-JS file with its literal
 * table, and needs no `Buffer`. Paths are relative to the repository root (tsup's working directory).
 */
import type { BuildOptions } from 'esbuild';

/** The browser entry, relative to the repository root. */
export const BROWSER_ENTRY = 'src/browser.ts';

/**
 * Extra entries of the browser ESM build, one per area, so that code splitting puts each area in
 * its own chunk (index.js re-exports them); internal, not in package.json `exports`.
 */
export const BROWSER_AREA_ENTRIES: Readonly<Record<string, string>> = Object.freeze({
  'area/client': 'src/client/index.ts',
  'area/framing': 'src/framing/index.ts',
  'area/meters': 'src/meters/index.ts',
  'area/validators': 'src/validators/index.ts',
});

/** The esbuild target of the browser build. */
export const BROWSER_TARGET = 'es2022';

/** Dependencies bundled into `dist/browser` instead of staying bare imports (tsup `noExternal`). */
export const BROWSER_BUNDLED_DEPENDENCIES: readonly string[] = Object.freeze(['fast-crc32c', 'crc-32']);

/** Module aliases of the browser build: fast-crc32c → crc-32's CRC32C behind the same interface. */
export const BROWSER_ALIAS: Readonly<Record<string, string>> = Object.freeze({
  'fast-crc32c': './src/internal/browser-crc32c.ts',
});

/**
 * Sets the browser build's aliases on esbuild options (tsup's `esbuildOptions` hook).
 *
 * @param options - the esbuild options to change in place
 */
export function applyBrowserEsbuildOptions(options: BuildOptions): void {
  options.alias = { ...BROWSER_ALIAS };
}

/**
 * esbuild options that build the browser entry into one self-contained ES module in memory
 * (`write: false`, with a metafile): the published build's options, with every dependency inlined
 * the way a user's bundler would resolve them for a browser.
 *
 * @param root - the repository root (absolute)
 * @returns options for `esbuild.build()`
 */
export function browserBundleOptions(root: string): BuildOptions {
  const options: BuildOptions = {
    absWorkingDir: root,
    entryPoints: [BROWSER_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: BROWSER_TARGET,
    treeShaking: true,
    write: false,
    metafile: true,
    outfile: 'ws-kit.js',
    logLevel: 'silent',
  };
  applyBrowserEsbuildOptions(options);
  return options;
}
