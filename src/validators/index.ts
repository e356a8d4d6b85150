export type { DeliveryValidatorOptions } from './delivery-options.js';
export { DEFAULT_DELIVERY_VALIDATOR_OPTIONS } from './delivery-options.js';
export type {
  CorruptedDelivery,
  CorruptionReason,
  DeliveryChannelReport,
  DeliveryCounts,
  DeliveryReceivedInfo,
  DeliveryReport,
  DeliverySentInfo,
} from './delivery-report.js';
export type { DeliveryVerdict } from './delivery-validator.js';
export { DeliveryValidator } from './delivery-validator.js';
export type { FairnessValidatorOptions } from './fairness-options.js';
export { DEFAULT_FAIRNESS_VALIDATOR_OPTIONS } from './fairness-options.js';
export type {
  FairnessClientReport,
  FairnessReport,
  PriorityInversion,
  RegisterClientOptions,
  StarvationEvent,
} from './fairness-report.js';
export { FairnessValidator } from './fairness-validator.js';
export type { OrderingValidatorOptions } from './ordering-options.js';
export { DEFAULT_ORDERING_VALIDATOR_OPTIONS } from './ordering-options.js';
export type {
  ObserveOrderingOptions,
  OrderedMessage,
  OrderingMode,
  OrderingReport,
  OrderingStreamReport,
  OrderingVerdict,
  OrderingViolation,
  OrderingViolationKind,
} from './ordering-report.js';
export { OrderingValidator } from './ordering-validator.js';
export type { ProgressValidatorOptions } from './progress-options.js';
export { DEFAULT_PROGRESS_VALIDATOR_OPTIONS } from './progress-options.js';
export type {
  ProgressReport,
  ProgressUpdate,
  ProgressViolation,
  ProgressViolationCounts,
  ProgressViolationKind,
} from './progress-report.js';
export { ProgressValidator } from './progress-validator.js';
export type { RoutingValidatorOptions } from './routing-options.js';
export { DEFAULT_ROUTING_VALIDATOR_OPTIONS } from './routing-options.js';
export type { RoutingPair, RoutingRecipientReport, RoutingReport } from './routing-report.js';
export { RoutingValidator } from './routing-validator.js';
export type { Validator, ValidatorId } from './validator.js';
