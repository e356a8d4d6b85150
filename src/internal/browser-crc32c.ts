/**
 * The CRC32C of the browser build (tsup.config.ts aliases `fast-crc32c` to this file): SheetJS
 * `crc-32`'s CRC32C, slice-by-16 over tables it computes at load time. fast-crc32c's pure-JS
 * fallback carries its 256-entry table as a literal, which costs about 0.9 KB more min+gzip and
 * needs a `Buffer` stand-in; both give the same checksums (browser-crc32c.test.ts).
 */
import * as CRC32C from 'crc-32/crc32c.js';

/** Same shape as `fast-crc32c`: continues `initial` (default 0) over `bytes`, unsigned result. */
const browserCrc32c = {
  calculate: (bytes: Uint8Array, initial = 0): number => CRC32C.buf(bytes, initial) >>> 0,
};

// biome-ignore lint/style/noDefaultExport: stands in for fast-crc32c, a CommonJS default export
export default browserCrc32c;
