import { JsHistogram } from 'hdr-histogram-js/dist/JsHistogram.js';

const TWO_POW_32 = 4_294_967_296;

/**
 * The HdrHistogram behind the meters: hdr-histogram-js's `JsHistogram` (recording, percentiles,
 * `add`, mean and standard deviation) over a `Float64Array` of counts — exact up to 2^53 per
 * bucket, never wrapping, like the library's `Float64Histogram`. Imported from the library's
 * `JsHistogram` module alone, so that neither its WebAssembly build (~40 KB) nor pako reach a
 * browser bundle.
 *
 * For values below 2^32 (71.6 minutes in µs), `recordValue` and the index computations use integer
 * bit operations instead of `Math.log2` and `Math.pow`. The results are identical —
 * `31 − clz32(v)` is `floor(log2(v))` and `v >>> k` is `floor(v / 2^k)` for 0 ≤ v < 2^32 — so the
 * counts, extremes and totals are the library's (a property test compares them); recording is
 * about four times faster. Internal to the meters.
 */
export class MeterHistogram extends JsHistogram {
  #counts: Float64Array;

  /**
   * @param highestTrackableValue - the largest value (µs) the histogram must hold; it never resizes
   * @param significantDigits - decimal digits of precision, 1–5
   */
  constructor(highestTrackableValue: number, significantDigits: number) {
    super(1, highestTrackableValue, significantDigits);
    this._totalCount = 0; // JsHistogram leaves the total to its subclasses (TypedArrayHistogram does the same)
    this.autoResize = false;
    this.#counts = new Float64Array(this.countsArrayLength);
  }

  /**
   * Records one value: for integers below 2^32, the library's `recordSingleValue` (index, count,
   * max, min-non-zero, total) inlined with bit operations; otherwise the library's own code.
   *
   * @param value - a non-negative integer ≤ `highestTrackableValue`
   */
  override recordValue(value: number): void {
    if (value < TWO_POW_32 && this.unitMagnitude === 0) {
      const half = this.subBucketHalfCountMagnitude;
      const bucket = Math.max(31 - Math.clz32(value) - half, 0);
      const index = ((bucket + 1) << half) + (value >>> bucket) - this.subBucketHalfCount;
      if (index < this.countsArrayLength) {
        this.#counts[index]! += 1;
        if (value > this.maxValue) this.maxValue = value;
        if (value < this.minNonZeroValue && value !== 0) this.minNonZeroValue = value;
        this._totalCount++;
        return;
      }
    }
    super.recordValue(value);
  }

  /** @param value - a non-negative integer @returns the bucket index, as the library computes it */
  override getBucketIndex(value: number): number {
    if (value < TWO_POW_32) {
      return Math.max(31 - Math.clz32(value) - this.subBucketHalfCountMagnitude - this.unitMagnitude, 0);
    }
    return super.getBucketIndex(value);
  }

  /** @returns the sub-bucket index, as the library computes it */
  override getSubBucketIndex(value: number, bucketIndex: number): number {
    if (value < TWO_POW_32) return value >>> (bucketIndex + this.unitMagnitude);
    return super.getSubBucketIndex(value, bucketIndex);
  }

  /** @returns the count at `index` */
  getCountAtIndex(index: number): number {
    return this.#counts[index]!;
  }

  /** Adds 1 at `index`. */
  incrementCountAtIndex(index: number): void {
    this.#counts[index]! += 1;
  }

  /** Adds `value` at `index`. */
  addToCountAtIndex(index: number, value: number): void {
    const count = this.#counts[index]! + value;
    if (count > Number.MAX_SAFE_INTEGER)
      throw new RangeError(`count ${count} at index ${index} passes 2^53 - 1`);
    this.#counts[index] = count;
  }

  /** Sets the count at `index`. */
  setCountAtIndex(index: number, value: number): void {
    this.#counts[index] = value;
  }

  /** Zeroes every count. */
  clearCounts(): void {
    this.#counts.fill(0);
  }

  /** Never called: the histogram does not auto-resize. */
  resize(newHighestTrackableValue: number): void {
    throw new RangeError(`MeterHistogram does not resize (asked for ${newHighestTrackableValue})`);
  }

  /** @returns a copy corrected for coordinated omission (the library's post-recording correction) */
  copyCorrectedForCoordinatedOmission(expectedIntervalBetweenValueSamples: number): MeterHistogram {
    const copy = new MeterHistogram(this.highestTrackableValue, this.numberOfSignificantValueDigits);
    copy.addWhileCorrectingForCoordinatedOmission(this, expectedIntervalBetweenValueSamples);
    return copy;
  }

  /** @returns the counts array plus 1 KiB, like the library's typed-array histograms */
  protected _getEstimatedFootprintInBytes(): number {
    return 1024 + this.#counts.byteLength;
  }
}
