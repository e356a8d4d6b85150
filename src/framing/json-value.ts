/**
 * Serialises JSON payloads without letting `JSON.stringify` alter them silently. Internal.
 */
import { FrameError } from '../errors.js';
import type { JsonValue } from './frame.js';

type Problem = [path: string, reason: string];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function describeObject(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object with a custom prototype';
}

function findProblem(value: unknown, ancestors: unknown[]): Problem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      if (!Number.isFinite(value)) return ['', `${value} is not representable in JSON`];
      if (Object.is(value, -0)) return ['', '-0 would arrive as 0'];
      return undefined;
    case 'undefined':
      return ['', 'undefined would be dropped or become null'];
    case 'bigint':
      return ['', 'a BigInt is not representable in JSON'];
    case 'function':
    case 'symbol':
      return ['', `a ${typeof value} is not representable in JSON`];
  }
  if (value === null) return undefined;
  const node = value as object;
  if (ancestors.includes(node)) return ['', 'a cycle'];
  ancestors.push(node);
  try {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        if (!(i in node)) return [`[${i}]`, 'an array hole would become null'];
        const p = findProblem(node[i], ancestors);
        if (p) return [`[${i}]${p[0]}`, p[1]];
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) {
      return ['', `${describeObject(node)} is not a plain object`];
    }
    for (const key of Object.keys(node)) {
      const p = findProblem((node as Record<string, unknown>)[key], ancestors);
      if (p) return [`${IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}${p[0]}`, p[1]];
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}

/**
 * Serialises a JSON payload exactly: throws instead of letting `JSON.stringify` turn `NaN` into
 * `null`, `-0` into `0`, drop `undefined`, call `toJSON`, or flatten a class instance.
 *
 * @param value - the payload value
 * @param where - the name of the value for the error message, e.g. `encodeFrame: payload.data`
 * @returns the compact JSON text
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_INVALID_JSON` naming the first offending path
 * @internal
 */
export function stringifyJsonPayload(value: unknown, where: string): string {
  let problem: Problem | undefined;
  try {
    problem = findProblem(value, []);
    if (!problem) return JSON.stringify(value as JsonValue);
  } catch (cause) {
    // A RangeError from nesting deeper than the call stack allows.
    throw new FrameError('WS_KIT_ERR_FRAME_INVALID_JSON', `${where} cannot be serialised: ${String(cause)}`, {
      cause,
    });
  }
  throw new FrameError(
    'WS_KIT_ERR_FRAME_INVALID_JSON',
    `${where}${problem[0]} cannot be sent as JSON: ${problem[1]}`,
    { received: value },
  );
}

/**
 * Parses JSON text, turning every failure into a typed error.
 *
 * @param text - the JSON text
 * @param where - the name of the value for the error message
 * @returns the parsed value
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_INVALID_JSON`
 * @internal
 */
export function parseJson(text: string, where: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw new FrameError('WS_KIT_ERR_FRAME_INVALID_JSON', `${where} is not valid JSON: ${String(cause)}`, {
      cause,
    });
  }
}
