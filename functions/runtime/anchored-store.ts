import type { Store } from '../../shared/store/index.js';
import { anchorFromEnv } from './audit-anchor.js';
import { storeFromEnv } from './store.js';

/** The store of a handler that appends audit events (the workflow steps) or verifies them (get/verify change). */
export function anchoredStoreFromEnv(): Store {
  return storeFromEnv((env, now) => anchorFromEnv({ env, now }));
}
