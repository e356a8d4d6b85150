export { createJwtAuthenticator } from './jwt-authenticator.js';
export type { JwtAuthenticatorOptions, JwtPublicKey } from './jwt-options.js';
export { DEFAULT_JWT_AUTHENTICATOR_OPTIONS } from './jwt-options.js';
export type { FoundToken, TokenSource } from './token-source.js';
export { findToken, parseProtocolHeader, stripTokenProtocol } from './token-source.js';
export type { Authenticate, AuthRejection, AuthRequest, AuthResult } from './types.js';
export { isAuthRejection } from './types.js';
