import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { AgentStep } from '../shared/agent-protocol/index.js';
import { WorkflowErrors } from '../shared/errors.js';
import { agentStep } from './agent-step.js';
import type { LambdaStep } from './lambda-steps.js';
import type { WorkflowTiming } from './timing.js';

// The change workflow of docs/architecture.md §2, built from CDK chainables and used both by cdk/ (AWS)
// and by local/sfn (the embedded engine), so the ASL that runs locally is the ASL AWS runs.
//
// State passing: every Lambda step is a reducer. It receives {state, step?} and returns the
// next state, which replaces the old one (payloadResponseOnly, ResultPath $). Large facts and
// plans live in the store; the state carries references and hashes. Agent steps read the
// prepared task from $.task and leave their answer in $.agentResult for the next reducer.

export interface ChangeWorkflowProps {
  readonly functions: Readonly<Record<LambdaStep, lambda.IFunction>>;
  readonly activities: Readonly<Record<string, sfn.IActivity>>;
  readonly alertTopic: sns.ITopic;
  readonly timing: WorkflowTiming;
}

const transientLambdaErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  WorkflowErrors.storeThrottled,
];

export function buildChangeWorkflow(scope: Construct, props: ChangeWorkflowProps): sfn.IChainable {
  const { functions, timing } = props;

  const reducer = (label: string, fn: LambdaStep, step?: string): tasks.LambdaInvoke => {
    const task = new tasks.LambdaInvoke(scope, label, {
      lambdaFunction: functions[fn],
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      payload: sfn.TaskInput.fromObject(step === undefined ? { 'state.$': '$' } : { 'state.$': '$', step }),
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    });
    task.addRetry({ errors: transientLambdaErrors, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2 });
    return task;
  };
  const outcome = (label: string, status: string, reason: string): sfn.Pass =>
    new sfn.Pass(scope, label, { result: sfn.Result.fromObject({ status, reason }), resultPath: '$.outcome' });

  // ── Ending: record the outcome, release (or hold) the locks, write back, end. ──
  const recordOutcome = reducer('Record outcome', 'recordOutcome');
  const releaseLocks = reducer('Release locks', 'releaseLocks');
  const notify = reducer('Write back to ticket', 'notify');
  const alert = new tasks.SnsPublish(scope, 'Page a human: rollback failed', {
    topic: props.alertTopic,
    subject: 'changeflow: ROLLBACK_FAILED',
    message: sfn.TaskInput.fromObject({
      'changeId.$': '$.change.changeId',
      'executionArn.$': '$$.Execution.Id',
      'fabric.$': '$.change.fabric',
      'cluster.$': '$.change.cluster',
      'error.$': '$.outcome',
    }),
    resultPath: sfn.JsonPath.DISCARD,
  });
  const finish = new sfn.Choice(scope, 'How did it end')
    .when(sfn.Condition.stringEquals('$.outcome.status', 'SUCCEEDED'), new sfn.Succeed(scope, 'SUCCEEDED'))
    .when(sfn.Condition.stringEquals('$.outcome.status', 'PLANNED'), new sfn.Succeed(scope, 'PLANNED'))
    .when(sfn.Condition.stringEquals('$.outcome.status', 'REJECTED'), new sfn.Succeed(scope, 'REJECTED'))
    .when(sfn.Condition.stringEquals('$.outcome.status', 'ABORTED'), new sfn.Succeed(scope, 'ABORTED'))
    .when(sfn.Condition.stringEquals('$.outcome.status', 'ROLLED_BACK'), new sfn.Fail(scope, 'ROLLED_BACK', { error: 'ROLLED_BACK', cause: 'the change failed and was rolled back; see the audit trail' }))
    .when(
      sfn.Condition.stringEquals('$.outcome.status', 'ROLLBACK_FAILED'),
      alert.next(new sfn.Fail(scope, 'ROLLBACK_FAILED', { error: 'ROLLBACK_FAILED', cause: 'rollback failed: locks are held until `changeflow unlock`' })),
    )
    .otherwise(new sfn.Fail(scope, 'FAILED', { error: 'FAILED', cause: 'the change failed before anything was applied; see the audit trail' }));
  recordOutcome.next(releaseLocks).next(notify).next(finish);

  const failedBeforeApply = outcome('Outcome FAILED', 'FAILED', 'error before apply').next(recordOutcome);
  const rejectedPrecheck = outcome('Outcome REJECTED: precheck', 'REJECTED', 'precheck').next(recordOutcome);
  const rejectedBusy = outcome('Outcome REJECTED: busy', 'REJECTED', 'busy').next(recordOutcome);
  const rejectedRecheck = outcome('Outcome REJECTED: ticket or window', 'REJECTED', 'recheck').next(recordOutcome);
  const planned = outcome('Outcome PLANNED', 'PLANNED', 'plan-only').next(recordOutcome);
  const succeeded = outcome('Outcome SUCCEEDED', 'SUCCEEDED', 'verified').next(recordOutcome);
  const rolledBack = outcome('Outcome ROLLED_BACK', 'ROLLED_BACK', 'rolled back').next(recordOutcome);
  const rollbackFailed = outcome('Outcome ROLLBACK_FAILED', 'ROLLBACK_FAILED', 'rollback failed').next(recordOutcome);
  const aborted = outcome('Outcome ABORTED', 'ABORTED', 'aborted').next(recordOutcome);
  const rejectedApproval = outcome('Outcome REJECTED: approval timed out', 'REJECTED', 'approval timed out').next(recordOutcome);
  const abortTo = (task: sfn.TaskStateBase, resultPath = '$.error'): void => {
    task.addCatch(aborted, { errors: [WorkflowErrors.changeAborted], resultPath });
  };

  const catchTo = (task: sfn.TaskStateBase, handler: sfn.IChainable, resultPath = '$.error'): void => {
    task.addCatch(handler, { errors: ['States.ALL'], resultPath });
  };

  // An agent step: prepare the task (Lambda), run it on the site's agent, record the answer.
  // The step that consumes the agent's answer is record-step unless given (precheck consumes facts).
  // Before anything is applied, an abort noticed when the answer is recorded ends ABORTED.
  const agentPhase = (step: AgentStep, label: string, onError: sfn.IChainable, errorResultPath = '$.error', consume?: tasks.LambdaInvoke, abortBeforeApply = false) => {
    const prepare = reducer(`Prepare ${label}`, 'prepareAgentTask', step);
    const run = agentStep(scope, { step, label, activities: props.activities, limits: timing.agent[step], onError, errorResultPath });
    const record = consume ?? reducer(`Record ${label}`, 'recordStep', step);
    if (abortBeforeApply) abortTo(record, errorResultPath);
    catchTo(prepare, onError, errorResultPath);
    catchTo(record, onError, errorResultPath);
    prepare.next(run.start);
    run.join.next(record);
    return { start: prepare, end: record };
  };

  // ── Rollback: inverse ops in reverse order (cluster, then APIC), read back, verify. ──
  const rollbackStarted = reducer('Record rollback started', 'recordStep', 'rollback-started');
  const rollback = agentPhase('rollback', 'Roll back', rollbackFailed, '$.rollbackError');
  catchTo(rollbackStarted, rollbackFailed, '$.rollbackError');
  rollbackStarted.next(rollback.start);
  rollback.end.next(rolledBack);

  // ── Forward path. ──
  const validate = new tasks.LambdaInvoke(scope, 'Validate request', {
    lambdaFunction: functions.validateRequest,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    payload: sfn.TaskInput.fromObject({
      'request.$': '$',
      execution: { 'name.$': '$$.Execution.Name', 'arn.$': '$$.Execution.Id', 'startTime.$': '$$.Execution.StartTime' },
    }),
  });
  validate.addRetry({ errors: transientLambdaErrors, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2 });
  // Nothing is recorded under a change id yet when the request itself is unreadable: the
  // handler records what it can and the execution fails with the zod message as its cause.
  validate.addCatch(new sfn.Fail(scope, 'Invalid request', { error: WorkflowErrors.invalidInput, cause: 'the change request did not validate; see the execution input and the audit trail' }), {
    errors: [WorkflowErrors.invalidInput],
  });
  catchTo(validate, new sfn.Fail(scope, 'Could not record the request', { error: 'RequestNotRecorded', cause: 'validate-request failed unexpectedly' }));

  // A busy target: queue on it and wait for the lease to be handed over (no timer retries).
  // `Acquire locks` takes targets in sorted order and stops at the first busy one; the wait puts
  // the task token in that target's queue; the previous owner's release hands the lease over and
  // answers the token. A wait slice that ends (States.Timeout) goes back to `Acquire locks`,
  // which re-arms the wait or, past the window's end, ends REJECTED:busy.
  const lock = reducer('Acquire locks', 'acquireLocks');
  catchTo(lock, failedBeforeApply);
  const queueWait = new tasks.LambdaInvoke(scope, 'Wait in the target queue', {
    lambdaFunction: functions.waitForLock,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ 'state.$': '$', taskToken: sfn.JsonPath.taskToken, waitSeconds: timing.lockWait.sliceSeconds }),
    resultPath: '$.lockHandoff',
    retryOnServiceExceptions: false,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(timing.lockWait.sliceSeconds)),
  });
  queueWait.addRetry({ errors: transientLambdaErrors, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2 });
  queueWait.addCatch(lock, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
  catchTo(queueWait, failedBeforeApply);
  queueWait.next(lock);
  const waitOrGiveUp = new sfn.Choice(scope, 'Still inside the window?')
    .when(sfn.Condition.booleanEquals('$.lockWait.gaveUp', true), rejectedBusy)
    .otherwise(queueWait);

  const precheck = reducer('Precheck', 'precheck');
  const facts = agentPhase('gather-facts', 'Gather facts', failedBeforeApply, '$.error', precheck);
  const plan = reducer('Plan', 'plan');
  catchTo(plan, failedBeforeApply);
  const recheck = reducer('Re-check ticket, window and plan', 'recheckTicket');
  recheck.addCatch(rejectedRecheck, {
    errors: [WorkflowErrors.ticketNotApproved, WorkflowErrors.windowClosed, WorkflowErrors.planChanged, WorkflowErrors.targetFrozen],
    resultPath: '$.error',
  });
  abortTo(recheck);
  catchTo(recheck, failedBeforeApply);
  const snapshot = agentPhase('snapshot', 'Snapshot APIC', failedBeforeApply, '$.error', undefined, true);

  // ── Approval (docs/architecture.md §3.7): wait for a person, no polling. A state's timeout is fixed, so
  // the wait runs in slices; each slice that ends unanswered takes its length off the change's
  // own timeout, and when nothing is left the change is REJECTED. The leases stay held. ──
  const sliceSeconds = timing.approvalSliceSeconds ?? 60;
  const awaitApproval = new tasks.LambdaInvoke(scope, 'Wait for approval', {
    lambdaFunction: functions.requestApproval,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ 'state.$': '$', token: sfn.JsonPath.taskToken }),
    taskTimeout: sfn.Timeout.duration(Duration.seconds(sliceSeconds)),
    retryOnServiceExceptions: false,
    resultPath: '$.approvalGrant',
  });
  const sliceEnded = reducer('Approval: slice ended unanswered', 'approvalSliceEnded', String(sliceSeconds));
  awaitApproval.addCatch(sliceEnded, { errors: ['States.Timeout'], resultPath: '$.error' });
  abortTo(awaitApproval);
  catchTo(awaitApproval, failedBeforeApply);
  sliceEnded.addCatch(rejectedApproval, { errors: [WorkflowErrors.approvalTimedOut], resultPath: '$.error' });
  abortTo(sliceEnded);
  catchTo(sliceEnded, failedBeforeApply);
  awaitApproval.next(recheck);
  sliceEnded.next(
    new sfn.Choice(scope, 'Approved while the slice rolled over?')
      .when(sfn.Condition.stringEquals('$.approval.status', 'granted'), recheck)
      .otherwise(awaitApproval),
  );

  // From here on, any failure rolls back whatever was applied.
  const applyAci = agentPhase('apply-aci', 'Apply ACI', rollbackStarted);
  const applyCluster = agentPhase('apply-cluster', 'Apply cluster', rollbackStarted);
  const verify = agentPhase('verify', 'Verify', rollbackStarted);

  // ── Observation window (docs/architecture.md §3.7): verified, the change stays OBSERVING with its
  // locks held — a loop of Wait and one look at the cheap checks, drawn as such in the console —
  // until the window's checks are done. A regression, or an abort, rolls back like a failure. ──
  const observeWait = new sfn.Wait(scope, 'Observe: wait an interval', { time: sfn.WaitTime.secondsPath('$.observe.intervalSeconds') });
  const observeCheck = agentPhase('observe', 'Observation check', rollbackStarted);
  observeWait.next(observeCheck.start);
  observeCheck.end.next(
    new sfn.Choice(scope, 'Observation window over?').when(sfn.Condition.booleanEquals('$.observe.done', true), succeeded).otherwise(observeWait),
  );
  const observeOrSucceed = new sfn.Choice(scope, 'Observe after verifying?').when(sfn.Condition.isPresent('$.observe'), observeWait).otherwise(succeeded);

  const afterPrecheck = new sfn.Choice(scope, 'Precheck allows it?')
    .when(sfn.Condition.booleanEquals('$.precheck.allowed', true), plan)
    .otherwise(rejectedPrecheck);
  const afterPlan = new sfn.Choice(scope, 'Apply or stop at the plan?')
    .when(sfn.Condition.stringEquals('$.change.mode', 'plan-only'), planned)
    // Already in the desired state: nothing to apply, but still prove it (BGP, pools, tests).
    .when(sfn.Condition.numberEquals('$.plan.opCount', 0), verify.start)
    .when(sfn.Condition.isPresent('$.approval'), awaitApproval)
    .otherwise(recheck);

  validate.next(lock).next(
    new sfn.Choice(scope, 'Holding every lock?').when(sfn.Condition.isPresent('$.lockWait'), waitOrGiveUp).otherwise(facts.start),
  );
  facts.end.next(afterPrecheck);
  plan.next(afterPlan);
  recheck.next(snapshot.start);
  snapshot.end.next(applyAci.start);
  applyAci.end.next(applyCluster.start);
  applyCluster.end.next(verify.start);
  verify.end.next(observeOrSucceed);

  return validate;
}
