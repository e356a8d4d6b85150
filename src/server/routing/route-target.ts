import { OptionsError } from '../../errors.js';
import { formatValue } from '../../internal/options.js';

/**
 * Who a routed message is for (`broadcast(data, target)`, `stream(target, …)`). Every given
 * criterion must hold for a connection to receive it; an empty target `{}` addresses everyone.
 * {@link matchesTarget} defines each criterion precisely.
 */
export interface RouteTarget {
  /** Only connections subscribed to this channel. */
  readonly channel?: string | undefined;
  /** Only connections whose `userId` is one of these (an empty list matches nobody). */
  readonly users?: readonly string[] | undefined;
  /** Only connections holding at least one of these roles (an empty list matches nobody). */
  readonly roles?: readonly string[] | undefined;
  /** Only connections whose tags include every one of these key/value pairs (`{}` matches all). */
  readonly tags?: Readonly<Record<string, string>> | undefined;
  /** Never these connection ids, even if every other criterion holds. */
  readonly except?: readonly string[] | undefined;
}

/** What {@link matchesTarget} knows about one connection. */
export interface RouteSubject {
  /** The connection id (compared with `except`). */
  readonly id: string;
  /** The authenticated user id, if any (compared with `users`). */
  readonly userId?: string | undefined;
  /** The connection's roles (compared with `roles`). */
  readonly roles: readonly string[];
  /** The connection's tags (compared with `tags`). */
  readonly tags: Readonly<Record<string, string>>;
  /** The channels the connection subscribed to (compared with `channel`). */
  readonly channels: ReadonlySet<string> | readonly string[];
}

/**
 * Decides whether a connection is addressed by a target. The result is `true` exactly when every
 * criterion present in `target` (not `undefined`) holds:
 * - `channel` — `subject.channels` contains it;
 * - `users` — `subject.userId` is defined and is one of them;
 * - `roles` — `subject.roles` and `target.roles` share at least one role;
 * - `tags` — for every key `k` of `target.tags`, `subject.tags[k] === target.tags[k]`;
 * - `except` — `subject.id` is not in it.
 *
 * Comparisons are exact string equality (case-sensitive). The function does not validate its
 * arguments; call {@link checkRouteTarget} once on a target from user code.
 *
 * @param subject - the connection's id, user id, roles, tags and channels
 * @param target - the routing criteria
 * @returns `true` when the connection should receive the message
 */
export function matchesTarget(subject: RouteSubject, target: RouteTarget): boolean {
  if (target.except?.includes(subject.id)) return false;
  if (target.channel !== undefined) {
    const channels = subject.channels;
    const has = Array.isArray(channels)
      ? (channels as readonly string[]).includes(target.channel)
      : (channels as ReadonlySet<string>).has(target.channel);
    if (!has) return false;
  }
  if (target.users !== undefined) {
    if (subject.userId === undefined || !target.users.includes(subject.userId)) return false;
  }
  if (target.roles !== undefined && !target.roles.some((role) => subject.roles.includes(role))) {
    return false;
  }
  if (target.tags !== undefined) {
    for (const [key, value] of Object.entries(target.tags)) {
      if (!Object.hasOwn(subject.tags, key) || subject.tags[key] !== value) return false;
    }
  }
  return true;
}

function invalidArgument(name: string, expected: string, value: unknown): never {
  throw new OptionsError(
    'WS_KIT_ERR_INVALID_ARGUMENT',
    `${name} must be ${expected}, got ${formatValue(value)}`,
    {
      expected,
      received: value,
    },
  );
}

function checkStringList(name: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    invalidArgument(name, 'an array of strings', value);
  }
}

/**
 * Validates a {@link RouteTarget} from user code, so that a typo fails loudly instead of routing to
 * the wrong connections.
 *
 * @param target - the target to check
 * @param name - how to name it in the error message
 * @returns the same target
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when the target is not an object, has an unknown key, or a
 *   field of the wrong type
 */
export function checkRouteTarget(target: unknown, name = 'target'): RouteTarget {
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    invalidArgument(name, 'an object', target);
  }
  const t = target as Record<string, unknown>;
  for (const key of Object.keys(t)) {
    if (!['channel', 'users', 'roles', 'tags', 'except'].includes(key)) {
      invalidArgument(`${name}.${key}`, 'absent (known keys: channel, users, roles, tags, except)', t[key]);
    }
  }
  if (t.channel !== undefined && typeof t.channel !== 'string') {
    invalidArgument(`${name}.channel`, 'a string', t.channel);
  }
  checkStringList(`${name}.users`, t.users);
  checkStringList(`${name}.roles`, t.roles);
  checkStringList(`${name}.except`, t.except);
  const tags = t.tags;
  if (tags !== undefined) {
    if (
      typeof tags !== 'object' ||
      tags === null ||
      Array.isArray(tags) ||
      Object.values(tags).some((v) => typeof v !== 'string')
    ) {
      invalidArgument(`${name}.tags`, 'an object of string values', tags);
    }
  }
  return target as RouteTarget;
}
