// The store's public surface: import from here, not from the files behind it.
export { createStore, createWorkflowStore, type Store, type StoreOptions, type WorkflowStore } from './store.js';
export { tableDefinition, createTableInput, defaultTableName, type IndexName, type IndexDefinition } from './table.js';
export { ChangeStatus, statusTransitions, canTransition, isFinalStatus } from './statuses.js';
export {
  ChangeId,
  ChangeRecord,
  ChangeMode,
  ChangePatch,
  ChangeSource,
  ChangeTargets,
  NewChange,
  TicketRef,
  TicketSystem,
} from './change-record.js';
export { ChangeQuery } from './change-query.js';
export type { ChangePage } from './changes.js';
export { AuditEvent, AuditEventType, ChainVerdict, NewAuditEvent, SummarisedDetail, zeroHash, hashEvent, verifyChain } from './audit-event.js';
export { inlineDetailBytes } from './audit.js';
export { Lease, type ForcedUnlock } from './locks.js';
export type { QueueEntry, QueueStanding } from './lock-queue.js';
export { LockHandoff, type TaskWaker, type HandOver } from './lock-handoff.js';
export { createWaitQueues, type WaitQueues } from './wait-queues.js';
export { ClaimOutcome, DeliveryOutcome, isSettledStart, NewDeliveryOutcome, type DeliveryClaim } from './deliveries.js';
export { StepProgress, createProgressStore, progressPartitionPrefix } from './progress.js';
export { DocumentRef, chunkBytes } from './documents.js';
export { agentResultChunks, agentResultKeys, agentResultPartitionPrefix, type AgentResultChunk } from './agent-results.js';
export { parseTargetRef, targetRef, leaseTargetsOf, type TargetRef, type TargetKind } from './targets.js';
export { csvLines, jsonLines, csvField, eventColumns, changeColumns, type ExportFormat } from './export.js';
export * from './errors.js';
export { parseInput } from './validate.js';
