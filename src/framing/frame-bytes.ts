/**
 * Byte-level helpers of the binary codec: big-endian integers and floats, and the output pool.
 * Internal: never re-exported.
 */

/** A shared 8-byte scratch for float64 conversion, created on first use. */
let f64: Float64Array | undefined;
let f64Bytes: Uint8Array = new Uint8Array(0);
/** Index of the scratch byte holding big-endian byte `i` is `i ^ swap`: 7 on little-endian platforms. */
let swap = 0;

function float64Scratch(): Float64Array {
  if (f64 === undefined) {
    f64 = new Float64Array(1);
    f64Bytes = new Uint8Array(f64.buffer);
    f64[0] = 2; // 0x40 00 00 00 00 00 00 00: the 0x40 byte comes last on a little-endian platform
    swap = f64Bytes[7] === 0x40 ? 7 : 0;
  }
  return f64;
}

/** Writes `value` as a big-endian IEEE 754 float64 at `out[at..at+8)`. */
export function writeF64(out: Uint8Array, at: number, value: number): void {
  float64Scratch()[0] = value;
  for (let i = 0; i < 8; i++) out[at + i] = f64Bytes[i ^ swap]!;
}

/** @returns the big-endian IEEE 754 float64 at `from[at..at+8)` */
export function readF64(from: Uint8Array, at: number): number {
  const float = float64Scratch();
  for (let i = 0; i < 8; i++) f64Bytes[i ^ swap] = from[at + i]!;
  return float[0]!;
}

/** Frames up to this size are cut from a shared slab, like Node's `Buffer` pool. */
export const POOLED_FRAME_MAX_BYTES = 2048;
const SLAB_BYTES = 32 * 1024;
let slab: ArrayBuffer | undefined;
let slabUsed = SLAB_BYTES;

/**
 * The output array of a frame of `size` bytes. Frames up to {@link POOLED_FRAME_MAX_BYTES} are cut
 * from a shared 32 KiB slab, which roughly halves the cost of encoding them (allocating an
 * `ArrayBuffer` costs more than the rest of the work). The encoder writes every byte of its range.
 */
export function allocate(size: number): Uint8Array {
  if (size > POOLED_FRAME_MAX_BYTES) return new Uint8Array(size);
  if (slab === undefined || slabUsed + size > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, size);
  slabUsed += (size + 7) & ~7; // keep each frame 8-byte aligned
  return out;
}

/** Writes `value` as a big-endian u32 at `out[at..at+4)`. */
export function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = value >>> 16;
  out[at + 2] = value >>> 8;
  out[at + 3] = value;
}

/** @returns the big-endian u32 at `bytes[at..at+4)` */
export function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
