// The Lambda steps of the change workflow and the handler module behind each. cdk/ builds one
// function per entry (tagged with the module path so the local engine can run the same handler)
// and the workflow refers to them by key: one list, so the two cannot drift apart.
export const lambdaSteps = {
  validateRequest: 'functions/validate-request.ts',
  acquireLocks: 'functions/acquire-locks.ts',
  waitForLock: 'functions/wait-for-lock.ts',
  prepareAgentTask: 'functions/prepare-agent-task.ts',
  precheck: 'functions/precheck.ts',
  plan: 'functions/plan.ts',
  recheckTicket: 'functions/recheck-ticket.ts',
  requestApproval: 'functions/request-approval.ts',
  approvalSliceEnded: 'functions/approval-slice-ended.ts',
  recordStep: 'functions/record-step.ts',
  recordOutcome: 'functions/record-outcome.ts',
  releaseLocks: 'functions/release-locks.ts',
  notify: 'functions/notify.ts',
} as const;

export type LambdaStep = keyof typeof lambdaSteps;
