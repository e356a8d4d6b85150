import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FrameError,
  isWsKitError,
  MeterError,
  OptionsError,
  ValidationError,
  WsKitError,
} from '../src/errors.js';

const root = path.resolve(import.meta.dirname, '..');
const source = readFileSync(path.join(root, 'src/errors.ts'), 'utf8');
const union = source.slice(
  source.indexOf('export type WsKitErrorCode'),
  source.indexOf(';', source.indexOf('export type WsKitErrorCode')),
);
const codes = [...union.matchAll(/'(WS_KIT_ERR_[A-Z_]+)'/g)].map((m) => m[1]!);

describe('error codes', () => {
  it('are each listed once in docs/errors.md', () => {
    const doc = readFileSync(path.join(root, 'docs/errors.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `(WS_KIT_ERR_[A-Z_]+)`/gm)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(10);
    expect(documented.sort()).toEqual([...codes].sort());
  });

  it('are each used somewhere in src/', () => {
    const used = execFileSync(
      'grep',
      ['-rhoE', 'WS_KIT_ERR_[A-Z_]+', 'src', '--include=*.ts', '--exclude=errors.ts'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    for (const code of codes) expect(used, code).toContain(code);
  });
});

describe('WsKitError', () => {
  it('keeps code, context and cause, and names the subclass', () => {
    const cause = new Error('inner');
    const error = new FrameError('WS_KIT_ERR_FRAME_CHECKSUM', 'bad crc', {
      cause,
      expected: 1,
      received: 2,
      seq: 7,
      channel: 'a',
    });
    expect(error).toBeInstanceOf(WsKitError);
    expect(error.name).toBe('FrameError');
    expect(error.code).toBe('WS_KIT_ERR_FRAME_CHECKSUM');
    expect(error.message).toBe('bad crc');
    expect(error.cause).toBe(cause);
    expect([error.expected, error.received, error.seq, error.channel]).toEqual([1, 2, 7, 'a']);
  });

  it('is recognised across realms by isWsKitError, and plain errors are not', async () => {
    const vm = await import('node:vm');
    const foreign = vm.runInNewContext(
      "const e = new Error('x'); e.code = 'WS_KIT_ERR_METER_VALUE'; Object.defineProperty(e, Symbol.for('@semantest/ws-kit/WsKitError'), { value: true }); e",
    );
    expect(foreign instanceof WsKitError).toBe(false);
    expect(isWsKitError(foreign)).toBe(true);
    expect(isWsKitError(new MeterError('WS_KIT_ERR_METER_VALUE', 'x'))).toBe(true);
    expect(isWsKitError(Object.assign(new Error('x'), { code: 'WS_KIT_ERR_METER_VALUE' }))).toBe(false);
    expect(isWsKitError(null)).toBe(false);
  });

  it('carries a validator report on ValidationError', () => {
    const error = new ValidationError('WS_KIT_ERR_ORDERING_VIOLATION', 'ordering', { gaps: 1 });
    expect(error.report).toEqual({ gaps: 1 });
    expect(new OptionsError('WS_KIT_ERR_INVALID_OPTION', 'x').name).toBe('OptionsError');
  });
});
