import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * What an {@link Authenticate} hook accepts a connection as: the identity routing uses
 * (`broadcast(data, { users, roles, tags })`). Every field is optional; an empty object accepts an
 * anonymous connection.
 */
export interface AuthResult {
  /** The user id of the connection (routing by `users`). */
  readonly userId?: string | undefined;
  /** The roles of the connection (routing by `roles`). */
  readonly roles?: readonly string[] | undefined;
  /** Free-form tags of the connection (routing by `tags`). */
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/**
 * What an {@link Authenticate} hook returns to refuse the upgrade: the HTTP status the server answers
 * with (401 for a missing or invalid credential, 403 for a valid one without permission) and a
 * short reason for logs and the response body. A rejected client never receives a WebSocket message.
 */
export interface AuthRejection {
  /** The HTTP status of the refusal, 400..599 (use 401 for bad or missing credentials). */
  readonly status: number;
  /** Why the upgrade was refused (e.g. `'token expired'`). */
  readonly reason?: string | undefined;
}

/**
 * The part of an HTTP upgrade request an authenticator reads. `IncomingMessage` satisfies it, and so
 * does a plain `{ headers, url }` object in unit tests.
 */
export interface AuthRequest {
  /** The request headers, lower-case names (as Node gives them). */
  readonly headers: IncomingHttpHeaders;
  /** The request target, e.g. `'/socket?token=…'`. */
  readonly url?: string | undefined;
}

/**
 * The authentication hook called during the WebSocket upgrade, before the connection is accepted.
 * Return (or resolve to) an {@link AuthResult} to accept, or an {@link AuthRejection} to answer with
 * its HTTP status instead. A hook that throws or rejects is treated as a 500 rejection by the server.
 *
 * @typeParam Request - the request type the hook reads; `IncomingMessage` by default. A hook
 *   written for the narrower {@link AuthRequest} (such as `createJwtAuthenticator`'s) fits anywhere.
 */
export type Authenticate<Request extends AuthRequest = IncomingMessage> = (
  request: Request,
) => AuthResult | AuthRejection | Promise<AuthResult | AuthRejection>;

/**
 * Tells an {@link AuthRejection} from an {@link AuthResult}: a rejection has a numeric `status`.
 *
 * @param value - what an {@link Authenticate} hook returned
 * @returns `true` when `value` refuses the upgrade
 */
export function isAuthRejection(value: AuthResult | AuthRejection): value is AuthRejection {
  return (
    typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number'
  );
}
