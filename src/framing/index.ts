export type {
  ErrorBody,
  HelloBody,
  PongTimes,
  WelcomeBody,
} from './control-frames.js';
export {
  ackFrame,
  errorFrame,
  helloFrame,
  nackFrame,
  pingFrame,
  pongFrame,
  readError,
  readHello,
  readPong,
  readWelcome,
  welcomeFrame,
} from './control-frames.js';
export { crc32c } from './crc32c.js';
export type {
  BinaryPayload,
  Frame,
  FrameCodecOptions,
  FrameInit,
  FrameKind,
  FramePayload,
  JsonPayload,
  JsonValue,
  PayloadKind,
  TextPayload,
} from './frame.js';
export {
  DEFAULT_FRAME_CODEC_OPTIONS,
  FRAME_KIND_CODES,
  MAX_CHANNEL_BYTES,
  PAYLOAD_KIND_CODES,
  PROTOCOL_VERSION,
} from './frame.js';
export { decodeFrame, encodeFrame, FRAME_HEADER_BYTES, MIN_FRAME_BYTES } from './frame-codec.js';
export { decodeJsonFrame, encodeJsonFrame, JSON_ENVELOPE_OVERHEAD_BYTES } from './json-envelope.js';
export { MIXED_STREAM_CHANNELS, mixedStream } from './mixed-stream.js';
export type { FloatSample } from './samples.js';
export { FLOAT_SAMPLES, UNICODE_SAMPLES } from './samples.js';
export type { SequencerOptions, SequencerSnapshot } from './sequencer.js';
export { DEFAULT_SEQUENCER_OPTIONS, Sequencer } from './sequencer.js';
export {
  base64Blob,
  binaryOfBytes,
  float64Bytes,
  mixedArray,
  nestedJson,
  readFloat64s,
  textOfBytes,
} from './test-data.js';
