// The Lambda functions behind the HTTP API, each a module with a `handler` export. Workflow
// step modules are listed in workflows/lambda-steps.ts.
export const apiHandlers = {
  ticketWebhook: 'functions/ticket-webhook.ts',
  startChange: 'functions/start-change.ts',
  listChanges: 'functions/list-changes.ts',
  getChange: 'functions/get-change.ts',
  pageLink: 'functions/page-link.ts',
  getChangeEvents: 'functions/get-change-events.ts',
  verifyChange: 'functions/verify-change.ts',
  ticketControl: 'functions/ticket-control.ts',
  approveChange: 'functions/approve-change.ts',
  abortChange: 'functions/abort-change.ts',
  addFreeze: 'functions/add-freeze.ts',
  listFreezes: 'functions/list-freezes.ts',
  removeFreeze: 'functions/remove-freeze.ts',
  startDrift: 'functions/start-drift.ts',
} as const;
export type ApiHandler = keyof typeof apiHandlers;

/** Resource metadata the local engine reads to run the same handler module in-process. */
export const entryMetadataKey = 'changeflow:entry';
export const exportMetadataKey = 'changeflow:export';
