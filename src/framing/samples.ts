/**
 * Named edge-case values for data-integrity tests: Unicode text and IEEE 754 doubles.
 */

/**
 * Unicode strings that break naive text handling, by name. Every one is well-formed UTF-16, so
 * both codecs carry it exactly (a leading BOM included).
 */
export const UNICODE_SAMPLES: Readonly<Record<string, string>> = Object.freeze({
  /** Characters outside the Basic Multilingual Plane: two UTF-16 code units, four UTF-8 bytes. */
  astralPlane: '𝄞 𝕏 𠜎 🀄 \u{10FFFF}',
  /** Combining marks: `é` as e + U+0301, a stack of marks, and a precomposed é for contrast. */
  combiningMarks: 'e\u0301 \u00e9 a\u0300\u0301\u0302\u0303\u0304 Z\u0351\u0352\u0353',
  /** Right-to-left scripts mixed with left-to-right text and digits. */
  rightToLeft: 'שלום world مرحبا ١٢٣ 123',
  /** Bidirectional controls: RLM, LRM, RLO … PDF, isolates. */
  bidiControls: '\u200fabc\u200e \u202eevil\u202c \u2066iso\u2069',
  /** Emoji ZWJ sequences: a family, a profession with skin tone, a rainbow flag. */
  emojiZwj: '👨‍👩‍👧‍👦 👩🏽‍💻 🏳️‍🌈',
  /** Regional-indicator flags and keycaps. */
  flagsAndKeycaps: '🇺🇳 🇯🇵 1️⃣ #️⃣',
  /** A byte-order mark at the start (decoders that strip it alter the text) and inside. */
  byteOrderMark: '\ufeffstarts with a BOM \ufeff',
  /** Zero-width characters: ZWSP, ZWNJ, ZWJ, word joiner. */
  zeroWidth: 'a\u200bb\u200cc\u200dd\u2060e',
  /** ASCII control characters including NUL, and the JavaScript line terminators U+2028/U+2029. */
  controls: 'nul\u0000 tab\t cr\r lf\n esc\u001b del\u007f ls\u2028 ps\u2029',
  /** Noncharacters, valid scalar values that must pass through unchanged. */
  noncharacters: '\ufdd0 \ufffe \uffff \u{1fffe}',
  /** Chinese, Japanese and Korean, including a Hangul syllable built from jamo. */
  cjk: '漢字 かな カナ 한국어 \u1100\u1161\u11a8',
  /** The replacement character itself, which must not be confused with a decoding error. */
  replacementCharacter: 'before \ufffd after',
  /** Characters that need escaping in JSON and HTML. */
  escapes: '"quotes" \\backslash\\ </script> &amp; \'',
});

/** One named double, with whether a JSON payload carries it exactly. */
export interface FloatSample {
  /** A short name, e.g. `minSubnormal`. */
  readonly name: string;
  /** The value. */
  readonly value: number;
  /**
   * `true` when a JSON payload (and the JSON envelope) carries the value exactly; `false` for `-0`,
   * `NaN` and `±Infinity`, which the codecs reject in JSON payloads with
   * `WS_KIT_ERR_FRAME_INVALID_JSON` rather than alter. A binary payload of float64 bytes carries
   * every sample exactly.
   */
  readonly json: boolean;
}

/**
 * Doubles at the edges of IEEE 754: signed zeros, subnormals, the normal range limits, values
 * without an exact decimal form, the integer-precision limit, infinities and NaN.
 */
export const FLOAT_SAMPLES: readonly FloatSample[] = Object.freeze(
  (
    [
      ['zero', 0, true],
      ['negativeZero', -0, false],
      ['minSubnormal', Number.MIN_VALUE, true],
      ['negativeMinSubnormal', -Number.MIN_VALUE, true],
      ['maxSubnormal', 2.225073858507201e-308, true],
      ['minNormal', 2.2250738585072014e-308, true],
      ['epsilon', Number.EPSILON, true],
      ['oneTenth', 0.1, true],
      ['pointOnePlusPointTwo', 0.1 + 0.2, true],
      ['oneThird', 1 / 3, true],
      ['pi', Math.PI, true],
      ['maxSafeInteger', Number.MAX_SAFE_INTEGER, true],
      ['twoToThe53', 2 ** 53, true],
      ['maxValue', Number.MAX_VALUE, true],
      ['negativeMaxValue', -Number.MAX_VALUE, true],
      ['infinity', Number.POSITIVE_INFINITY, false],
      ['negativeInfinity', Number.NEGATIVE_INFINITY, false],
      ['nan', Number.NaN, false],
    ] as const
  ).map(([name, value, json]) => Object.freeze({ name, value, json })),
);
