export type { PacedResult, PacedRun, PaceOptions } from './pace.js';
export { DEFAULT_PACE_OPTIONS, pace } from './pace.js';
export type { ProgressEvent, ProgressStreamOptions } from './progress-stream.js';
export { DEFAULT_PROGRESS_STREAM_OPTIONS, progressStream } from './progress-stream.js';
export type { RouteSubject, RouteTarget } from './route-target.js';
export { checkRouteTarget, matchesTarget } from './route-target.js';
export type { TokenBucketOptions } from './token-bucket.js';
export { DEFAULT_TOKEN_BUCKET_OPTIONS, TokenBucket } from './token-bucket.js';
