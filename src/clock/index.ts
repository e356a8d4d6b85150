export type { Clock, TimerHandle } from './clock.js';
export { systemClock } from './clock.js';
export { ManualClock } from './manual-clock.js';
