/**
 * Builds what the browser test loads, in memory (no `npm run build` needed): the browser bundle of
 * the package with the published build's esbuild options (scripts/browser-build.ts), and the page
 * script importing it as `/ws-kit.js`.
 */
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { browserBundleOptions } from '../../scripts/browser-build.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The bundles a page needs. */
export interface PageAssets {
  /** The browser build of the package, one ES module (`/ws-kit.js`). */
  readonly bundle: string;
  /** The page script (`/app.js`), importing `/ws-kit.js`. */
  readonly app: string;
  /** Every file the package bundle was built from, relative to the root. */
  readonly inputs: readonly string[];
}

/** Turns the page script's import of the browser entry into an import of the served bundle. */
const servedEntry: Plugin = {
  name: 'served-browser-entry',
  setup(b) {
    b.onResolve({ filter: /\/src\/browser\.js$/ }, () => ({ path: '/ws-kit.js', external: true }));
  },
};

function onlyOutput(result: { outputFiles?: { text: string }[] | undefined }): string {
  const [file, ...rest] = result.outputFiles ?? [];
  if (!file || rest.length > 0) throw new Error('expected exactly one output file');
  return file.text;
}

/**
 * Builds the package's browser bundle and the page script.
 *
 * @returns both bundles and the package bundle's inputs
 * @throws esbuild's error when the browser entry does not bundle for a browser (e.g. a Node built-in)
 */
export async function buildPageAssets(): Promise<PageAssets> {
  const [pkg, page] = await Promise.all([
    build(browserBundleOptions(ROOT)),
    build({
      absWorkingDir: ROOT,
      entryPoints: ['test/browser/page-app.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      outfile: 'app.js',
      logLevel: 'silent',
      plugins: [servedEntry],
    }),
  ]);
  return {
    bundle: onlyOutput(pkg),
    app: onlyOutput(page),
    inputs: Object.keys(pkg.metafile?.inputs ?? {}),
  };
}
