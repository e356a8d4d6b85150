/**
 * `@semantest/ws-kit` — composable WebSocket test primitives.
 *
 * The Node entry. It holds everything in the browser entry (framing, meters, validators, clocks,
 * errors) and, as they land, the Node-only primitives (MockServer, ChaosProxy, load). The portable
 * names are listed once, in `browser.ts`, and re-exported here wholesale so that the two entries
 * can never drift apart — the one deliberate `export *` in the package.
 *
 * @packageDocumentation
 */
export * from './browser.js';
