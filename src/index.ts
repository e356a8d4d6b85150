// Filled in once the primitives land.
export { WsKitError, isWsKitError } from './errors.js';
