/**
 * Injected into the browser build only (tsup.config.ts), where fast-crc32c's pure-JS table
 * implementation looks up a global `Buffer`. It only calls `Buffer.isBuffer(x)` and, for
 * non-buffers, `Buffer.from(x)`; the library always hands it a `Uint8Array`.
 */
export const Buffer = {
  isBuffer: (value: unknown): boolean => value instanceof Uint8Array,
  from: (value: ArrayLike<number> | string): Uint8Array =>
    typeof value === 'string' ? new TextEncoder().encode(value) : Uint8Array.from(value),
};
