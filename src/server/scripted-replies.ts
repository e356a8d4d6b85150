import { OptionsError } from '../errors.js';
import type { MockConnection } from './mock-connection.js';
import type { MessageData, ReceivedMessage } from './received-message.js';

/**
 * Which received messages a scripted reply answers: an exact string (text messages, or JSON
 * payloads compared by their JSON text), a RegExp tested against text, or a predicate.
 */
export type ReplyMatch = string | RegExp | ((message: ReceivedMessage) => boolean);

/** What a scripted reply sends: fixed data, or a function of the message (return `undefined` to send nothing). */
export type ReplyResponse =
  | MessageData
  | ((message: ReceivedMessage, connection: MockConnection) => MessageData | undefined);

/** Options of `server.reply()`. */
export interface ReplyOptions {
  /** How many messages the reply answers before it is removed; `Infinity` keeps it. @default Infinity */
  readonly times?: number;
}

interface Script {
  readonly match: ReplyMatch;
  readonly response: ReplyResponse;
  remaining: number;
}

function textOf(data: MessageData): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return undefined;
  return JSON.stringify(data);
}

/** The scripted replies of a `MockServer` (internal): the first matching script answers. */
export class ScriptedReplies {
  #scripts: Script[] = [];

  add(match: ReplyMatch, response: ReplyResponse, options: ReplyOptions): void {
    if (typeof match !== 'string' && !(match instanceof RegExp) && typeof match !== 'function') {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        'reply match must be a string, RegExp or function',
        {
          received: match,
        },
      );
    }
    const times = options.times ?? Number.POSITIVE_INFINITY;
    if (!(times >= 1)) {
      throw new OptionsError('WS_KIT_ERR_INVALID_ARGUMENT', `reply times must be >= 1, got ${times}`, {
        received: times,
      });
    }
    this.#scripts.push({ match, response, remaining: times });
  }

  clear(): void {
    this.#scripts = [];
  }

  /** Finds the first script matching `message`, uses it up once, and returns what to send. */
  answer(message: ReceivedMessage, connection: MockConnection): MessageData | undefined {
    const script = this.#scripts.find((s) => matches(s.match, message));
    if (!script) return undefined;
    script.remaining -= 1;
    if (script.remaining <= 0) this.#scripts = this.#scripts.filter((s) => s !== script);
    return typeof script.response === 'function' ? script.response(message, connection) : script.response;
  }
}

function matches(match: ReplyMatch, message: ReceivedMessage): boolean {
  if (typeof match === 'function') return match(message);
  const text = textOf(message.data);
  if (text === undefined) return false;
  return typeof match === 'string' ? text === match : match.test(text);
}
