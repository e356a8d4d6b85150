/**
 * Validation of a {@link FrameInit} before encoding, shared by both codecs. Internal.
 */
import { FrameError, type WsKitErrorCode } from '../errors.js';
import { formatValue } from '../internal/options.js';
import {
  FRAME_KIND_CODES,
  type FrameKind,
  type FramePayload,
  MAX_CHANNEL_BYTES,
  PROTOCOL_VERSION,
} from './frame.js';
import { isWellFormed, utf8Length } from './utf8.js';

/** A frame whose every field has been checked and defaulted. @internal */
export interface CheckedFrame {
  kind: FrameKind;
  kindCode: number;
  channel: string;
  priority: number;
  seq: number;
  timestamp: number;
  payload: FramePayload;
}

/** Kind name → wire code; a Map, so inherited names such as `toString` are not kinds. */
const KIND_CODES: ReadonlyMap<unknown, number> = new Map(Object.entries(FRAME_KIND_CODES));

/** Channels already found valid (at most 256), so the common case skips the UTF-8 checks. */
const validChannels = new Set<unknown>();

const EMPTY_PAYLOAD: FramePayload = Object.freeze({ kind: 'binary', data: new Uint8Array(0) });

function fail(code: WsKitErrorCode, message: string, expected: unknown, received: unknown): never {
  throw new FrameError(code, message, { expected, received });
}

function checkPayload(payload: unknown, where: string): FramePayload {
  if (typeof payload !== 'object' || payload === null) {
    fail(
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      `${where}: payload must be { kind, data }, got ${formatValue(payload)}`,
      '{ kind, data }',
      payload,
    );
  }
  const { kind, data } = payload as { kind?: unknown; data?: unknown };
  for (const key of Object.keys(payload)) {
    if (key !== 'kind' && key !== 'data') {
      fail('WS_KIT_ERR_FRAME_PAYLOAD_KIND', `${where}: unknown payload key '${key}'`, ['kind', 'data'], key);
    }
  }
  if (kind === 'binary') {
    if (!(data instanceof Uint8Array)) {
      fail(
        'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
        `${where}: a binary payload needs a Uint8Array, got ${formatValue(data)}`,
        'Uint8Array',
        data,
      );
    }
  } else if (kind === 'text') {
    if (typeof data !== 'string') {
      fail(
        'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
        `${where}: a text payload needs a string, got ${formatValue(data)}`,
        'string',
        data,
      );
    }
    if (!isWellFormed(data)) {
      fail(
        'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
        `${where}: a text payload must not contain lone surrogates (UTF-8 cannot carry them)`,
        'well-formed UTF-16',
        data,
      );
    }
  } else if (kind !== 'json') {
    fail(
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      `${where}: payload kind must be 'binary', 'text' or 'json', got ${formatValue(kind)}`,
      ['binary', 'text', 'json'],
      kind,
    );
  }
  return payload as FramePayload;
}

function checkInteger(where: string, name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    fail(
      'WS_KIT_ERR_FRAME_MALFORMED',
      `${where}: ${name} must be an integer in [0, ${max}], got ${formatValue(value)}`,
      `an integer in [0, ${max}]`,
      value,
    );
  }
  return value;
}

/** Rejects a key that is not a {@link FrameInit} field, so a typo cannot fall back to a default. */
function checkKeys(f: Record<string, unknown>, where: string): void {
  for (const key in f) {
    switch (key) {
      case 'version':
      case 'kind':
      case 'channel':
      case 'priority':
      case 'seq':
      case 'timestamp':
      case 'payload':
        break;
      default:
        fail(
          'WS_KIT_ERR_FRAME_MALFORMED',
          `${where}: unknown frame key '${key}'`,
          ['version', 'kind', 'channel', 'priority', 'seq', 'timestamp', 'payload'],
          key,
        );
    }
  }
}

/**
 * Checks and defaults a frame to encode.
 *
 * @param keysChecked - skip the unknown-key check (the caller built `init` itself)
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_VERSION`, `_KIND`, `_MALFORMED` or `_PAYLOAD_KIND`
 * @internal
 */
export function checkFrameInit(init: unknown, where: string, keysChecked = false): CheckedFrame {
  if (typeof init !== 'object' || init === null) {
    fail(
      'WS_KIT_ERR_FRAME_MALFORMED',
      `${where}: frame must be an object, got ${formatValue(init)}`,
      'object',
      init,
    );
  }
  const f = init as Record<string, unknown>;
  if (!keysChecked) checkKeys(f, where);
  if (f.version !== undefined && f.version !== PROTOCOL_VERSION) {
    fail(
      'WS_KIT_ERR_FRAME_VERSION',
      `${where}: version must be ${PROTOCOL_VERSION}, got ${formatValue(f.version)}`,
      PROTOCOL_VERSION,
      f.version,
    );
  }
  const kind = f.kind === undefined ? 'data' : f.kind;
  const kindCode = KIND_CODES.get(kind) ?? 0;
  if (kindCode === 0) {
    fail(
      'WS_KIT_ERR_FRAME_KIND',
      `${where}: unknown frame kind ${formatValue(kind)}`,
      Object.keys(FRAME_KIND_CODES),
      kind,
    );
  }
  const channel = f.channel === undefined ? '' : f.channel;
  if (!validChannels.has(channel)) {
    if (
      typeof channel !== 'string' ||
      channel.length > MAX_CHANNEL_BYTES ||
      !isWellFormed(channel) ||
      utf8Length(channel) > MAX_CHANNEL_BYTES
    ) {
      fail(
        'WS_KIT_ERR_FRAME_MALFORMED',
        `${where}: channel must be a string of at most ${MAX_CHANNEL_BYTES} UTF-8 bytes without lone surrogates, got ${formatValue(channel)}`,
        `a string of at most ${MAX_CHANNEL_BYTES} UTF-8 bytes`,
        channel,
      );
    }
    if (validChannels.size >= 256) validChannels.clear();
    validChannels.add(channel);
  }
  const priority = f.priority === undefined ? 0 : checkInteger(where, 'priority', f.priority, 255);
  const seq = f.seq === undefined ? 0 : checkInteger(where, 'seq', f.seq, Number.MAX_SAFE_INTEGER);
  const timestamp = f.timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    fail(
      'WS_KIT_ERR_FRAME_MALFORMED',
      `${where}: timestamp must be a finite number of milliseconds, got ${formatValue(timestamp)}`,
      'a finite number',
      timestamp,
    );
  }
  const payload = f.payload === undefined ? EMPTY_PAYLOAD : checkPayload(f.payload, where);
  return {
    kind: kind as FrameKind,
    kindCode,
    channel: channel as string,
    priority,
    seq,
    timestamp: timestamp + 0, // -0 → 0
    payload,
  };
}
