import type { ApiHandler } from './handler-modules.js';

// The HTTP API's routes (docs/architecture.md §3.2) in one list: the CDK construct (change-api.ts) deploys
// them and the local API server (local/api/) serves them, so the two cannot drift. Plain data, no
// aws-cdk-lib, so the local server can import it cheaply.
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway route path; `{name}` segments become path parameters. */
  readonly path: string;
  readonly handler: ApiHandler;
  /**
   * Webhooks authenticate by HMAC inside the handler (ticketing systems cannot sign SigV4); a
   * ticket note's page link carries its own MAC and expiry, checked inside its handler (`link`).
   */
  readonly auth: 'signature' | 'link' | 'iam';
}

export const apiRoutes: readonly ApiRoute[] = [
  { method: 'POST', path: '/webhooks/servicenow', handler: 'ticketWebhook', auth: 'signature' },
  { method: 'POST', path: '/webhooks/jira', handler: 'ticketWebhook', auth: 'signature' },
  { method: 'POST', path: '/webhooks/servicenow/control', handler: 'ticketControl', auth: 'signature' },
  { method: 'POST', path: '/webhooks/jira/control', handler: 'ticketControl', auth: 'signature' },
  { method: 'POST', path: '/changes', handler: 'startChange', auth: 'iam' },
  { method: 'GET', path: '/changes', handler: 'listChanges', auth: 'iam' },
  // The site's front page: the index of changes as HTML (the same handler as GET /changes).
  { method: 'GET', path: '/', handler: 'listChanges', auth: 'iam' },
  { method: 'GET', path: '/changes/{id}', handler: 'getChange', auth: 'iam' },
  // The signed, expiring, read-only link in ticket notes: one change's page, without credentials.
  { method: 'GET', path: '/links/changes/{id}', handler: 'pageLink', auth: 'link' },
  { method: 'GET', path: '/changes/{id}/events', handler: 'getChangeEvents', auth: 'iam' },
  { method: 'GET', path: '/changes/{id}/verify', handler: 'verifyChange', auth: 'iam' },
  { method: 'POST', path: '/changes/{id}/approve', handler: 'approveChange', auth: 'iam' },
  { method: 'POST', path: '/changes/{id}/abort', handler: 'abortChange', auth: 'iam' },
  { method: 'POST', path: '/freezes', handler: 'addFreeze', auth: 'iam' },
  { method: 'GET', path: '/freezes', handler: 'listFreezes', auth: 'iam' },
  { method: 'DELETE', path: '/freezes/{id}', handler: 'removeFreeze', auth: 'iam' },
  // Drift checks: one plan-only change of the desired state per target (docs/architecture.md §3.7).
  { method: 'POST', path: '/drift', handler: 'startDrift', auth: 'iam' },
];
