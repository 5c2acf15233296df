import type { Store, WorkflowStore } from '../../shared/store/index.js';
import { anchorFromEnv } from './audit-anchor.js';
import { storeFromEnv, workflowStoreFromEnv } from './store.js';

/** The store of an API handler that appends audit events or verifies them (get/verify change). */
export function anchoredStoreFromEnv(): Store {
  return storeFromEnv((env, now) => anchorFromEnv({ env, now }));
}

/** The store of a workflow step, which appends audit events. */
export function anchoredWorkflowStoreFromEnv(): WorkflowStore {
  return workflowStoreFromEnv((env, now) => anchorFromEnv({ env, now }));
}
