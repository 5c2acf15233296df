import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditAnchor } from '../anchor/anchor.js';
import type { AuditEvent } from './audit-event.js';
import { createAuditStore } from './audit.js';
import type { ChangePatch, ChangeRecord } from './change-record.js';
import type { ChangeQuery } from './change-query.js';
import { createChangeStore } from './changes.js';
import { createControlStore } from '../control/control-store.js';
import { createFreezeStore } from '../control/freeze-store.js';
import { createDeliveryStore } from './deliveries.js';
import { createProgressStore } from './progress.js';
import { createDocumentStore } from './documents.js';
import { createAgentResultStore } from './agent-results.js';
import { changeColumns, csvLines, eventColumns, jsonLines, type ExportFormat } from './export.js';
import { createLockStore } from './locks.js';
import type { ChangeStatus } from './statuses.js';
import type { StoreContext } from './store-context.js';
import { defaultTableName } from './table.js';
import { leaseTargetsOf } from './targets.js';

export interface StoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName?: string;
  readonly now: () => Date;
  /** Attempts an audit append makes against concurrent writers before giving up. */
  readonly maxAppendAttempts?: number;
  /** Where every new chain head is also recorded, out of a table writer's reach (shared/anchor). */
  readonly anchor?: AuditAnchor;
}

/**
 * What the workflow's steps remember with, over one injected DynamoDB client: changes, audit,
 * locks, documents, freezes, control and agent results. Apart from createStore so that a step's
 * Lambda bundle does not carry the intake's deliveries, the progress feed or the exports.
 */
export function createWorkflowStore(options: StoreOptions) {
  const ctx: StoreContext = { client: options.client, tableName: options.tableName ?? defaultTableName, now: options.now };
  const documents = createDocumentStore(ctx);
  const audit = createAuditStore(ctx, documents, { maxAttempts: options.maxAppendAttempts, anchor: options.anchor });
  const changeStore = createChangeStore(ctx);
  const locks = createLockStore(ctx, changeStore, audit);
  const freezes = createFreezeStore(ctx, audit);
  const control = createControlStore(ctx);
  const agentResults = createAgentResultStore(ctx);

  // ROLLBACK_FAILED keeps its locks: the targets are in an unknown state until a person looks.
  // Pinning here, not in the workflow, means no path to that status can forget it.
  async function updateStatus(changeId: string, to: ChangeStatus, patch: ChangePatch = {}): Promise<ChangeRecord> {
    const change = await changeStore.updateStatus(changeId, to, patch);
    if (to === 'ROLLBACK_FAILED') {
      await locks.hold(leaseTargetsOf(change.targets), changeId, patch.outcome?.reason ?? 'rollback failed');
    }
    return change;
  }

  return {
    tableName: ctx.tableName,
    anchor: options.anchor,
    changes: { ...changeStore, updateStatus },
    audit,
    locks,
    documents,
    freezes,
    control,
    agentResults,
  };
}

export type WorkflowStore = ReturnType<typeof createWorkflowStore>;

/** Everything the system remembers (shared/store/README.md): the workflow's store, the intake's deliveries, progress, pages and exports. */
export function createStore(options: StoreOptions) {
  const core = createWorkflowStore(options);
  const ctx: StoreContext = { client: options.client, tableName: core.tableName, now: options.now };
  const { changes, audit } = core;

  async function getChangeWithEvents(changeId: string): Promise<{ change: ChangeRecord; events: AuditEvent[] }> {
    const change = await changes.require(changeId);
    const events: AuditEvent[] = [];
    for await (const event of audit.iterateEvents(changeId)) events.push(event);
    return { change, events };
  }

  async function* exportEvents(query: ChangeQuery): AsyncGenerator<AuditEvent> {
    for await (const change of changes.iterate(query)) yield* audit.iterateEvents(change.changeId);
  }

  /** Lines of an export (JSONL or CSV), of audit events or of change records, oldest first. */
  function exportLines(query: ChangeQuery, format: ExportFormat, what: 'events' | 'changes'): AsyncGenerator<string> {
    if (what === 'changes') {
      const rows = changes.iterate(query);
      return format === 'csv' ? csvLines(rows, changeColumns) : jsonLines(rows);
    }
    const rows = exportEvents(query);
    return format === 'csv' ? csvLines(rows, eventColumns) : jsonLines(rows);
  }

  return {
    ...core,
    deliveries: createDeliveryStore(ctx),
    progress: createProgressStore(ctx),
    getChangeWithEvents,
    exportEvents,
    exportLines,
  };
}

export type Store = ReturnType<typeof createStore>;
