/**
 * Minimal types for `fast-crc32c` (the package ships none) and its pure-JS implementation,
 * which the browser build aliases in place of the package.
 */
declare module 'fast-crc32c' {
  /** The CRC32C implementation the loader picked: SSE4.2 (native) when it built, the JS table otherwise. */
  const fastCrc32c: {
    /** Continues `initial` (default 0) over `bytes` and returns the unsigned 32-bit CRC32C. */
    calculate(bytes: Uint8Array, initial?: number): number;
  };
  // biome-ignore lint/style/noDefaultExport: the package is CommonJS (`module.exports`), imported as a default
  export default fastCrc32c;
}

declare module 'fast-crc32c/impls/js_crc32c.js' {
  /** The pure-JS table implementation of fast-crc32c. */
  const jsCrc32c: {
    /** Continues `initial` (default 0) over `bytes` and returns the unsigned 32-bit CRC32C. */
    calculate(bytes: Uint8Array, initial?: number): number;
  };
  // biome-ignore lint/style/noDefaultExport: the file is CommonJS (`module.exports`), imported as a default
  export default jsCrc32c;
}

declare module 'crc-32/crc32c.js' {
  /** SheetJS crc-32's CRC32C: continues `seed` (a previous result, default 0) over `data`; signed 32-bit result. */
  export function buf(data: Uint8Array | number[], seed?: number): number;
}
