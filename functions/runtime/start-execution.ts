import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import * as z from '../../shared/zod.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { ChangeflowError } from '../../shared/errors.js';
import type { ChangeRequest } from '../../shared/spec/index.js';
import { isSettledStart, type ChangeSource, type DeliveryClaim, type Store } from '../../shared/store/index.js';
import { ConfigInvalid } from './config.js';

// Starting a change exactly once. The change id IS the execution name (the workflow's first step
// reads $$.Execution.Name), so idempotency rests on two things: the delivery claim (first wins)
// and StartExecution's own rule — same name + same input while running is the same execution,
// anything else under that name is ExecutionAlreadyExists, which we read as "duplicate".

export const StartExecutionEnv = z.object({
  STATE_MACHINE_ARN: z.string().check(z.regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, 'expected a state machine ARN')),
  /** The local Step Functions engine; absent on AWS. */
  SFN_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
});

export type StartOutcome = { kind: 'started'; executionArn: string } | { kind: 'exists'; executionArn: string };

export interface ExecutionStarter {
  start(name: string, input: string): Promise<StartOutcome>;
  /** True when an execution of that name exists, whatever its status. */
  exists(name: string): Promise<boolean>;
}

/** StartExecution failed for a reason other than "already exists": the caller answers 5xx. */
export class ExecutionStartFailed extends ChangeflowError {
  override readonly name = 'ExecutionStartFailed' as const;
}

export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export function sfnExecutionStarter(options: { client: SFNClient; stateMachineArn: string }): ExecutionStarter {
  const { client, stateMachineArn } = options;
  return {
    async start(name, input) {
      try {
        const out = await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
        return { kind: 'started', executionArn: out.executionArn ?? executionArnOf(stateMachineArn, name) };
      } catch (err) {
        if (err instanceof ExecutionAlreadyExists) return { kind: 'exists', executionArn: executionArnOf(stateMachineArn, name) };
        throw new ExecutionStartFailed(
          `expected StartExecution of ${name} on ${stateMachineArn} to succeed, found ${(err as Error).name}: ${(err as Error).message}; the delivery will be retried`,
          { cause: err },
        );
      }
    },
    async exists(name) {
      try {
        await client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }));
        return true;
      } catch (err) {
        if (err instanceof ExecutionDoesNotExist) return false;
        throw err;
      }
    },
  };
}

const starters = new Map<string, ExecutionStarter>();

/**
 * The container's starter, from STATE_MACHINE_ARN (and SFN_ENDPOINT locally); one per target.
 * Called on every request, so it reads only the four variables it needs and validates them once
 * per distinct value (spreading and parsing all of process.env per request cost ~0.4 ms of CPU).
 */
export function executionStarterFromEnv(env: NodeJS.ProcessEnv = process.env): ExecutionStarter {
  const wanted = {
    STATE_MACHINE_ARN: env['STATE_MACHINE_ARN'],
    SFN_ENDPOINT: env['SFN_ENDPOINT'] || undefined,
    AWS_REGION: env['AWS_REGION'],
    localCredentials: Boolean(env['SFN_ENDPOINT']) && !env['AWS_ACCESS_KEY_ID'],
  };
  const key = JSON.stringify(wanted);
  const known = starters.get(key);
  if (known) return known;
  const parsed = StartExecutionEnv.safeParse(wanted);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigInvalid(`expected STATE_MACHINE_ARN (and optionally SFN_ENDPOINT) in the environment, found ${fields}; fix the function's environment`);
  }
  const { STATE_MACHINE_ARN: stateMachineArn, SFN_ENDPOINT: endpoint, AWS_REGION: region } = parsed.data;
  const client = new SFNClient({
    region,
    endpoint,
    // The local engine accepts any signature; on AWS the default chain provides credentials.
    ...(wanted.localCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const starter = sfnExecutionStarter({ client, stateMachineArn });
  starters.set(key, starter);
  return starter;
}

export interface StartOnceInput {
  deliveryKey: string;
  executionName: string;
  request: ChangeRequest;
  source: ChangeSource;
}

export type StartOnceResult = { status: 'started'; changeId: string; executionArn: string } | { status: 'duplicate'; changeId: string };

// The delivery log has no "failed" outcome; a failed start is a refusal whose reason says so,
// which is how a retry of the same delivery knows it must start the execution itself.
export const startFailedReason = 'start failed:';

/**
 * Claims the delivery key for `executionName` and starts it. The claim is one write that also
 * returns what became of earlier deliveries of the key: a settled start answers duplicate at once,
 * with no further call and no further record. An unsettled claim means the first start failed
 * (its 5xx made the sender retry: this retry starts it) or is still under way (StartExecution with
 * the same name and input is the same execution, so racing it is harmless).
 */
export async function startOnce(deps: { store: Store; starter: ExecutionStarter }, input: StartOnceInput): Promise<StartOnceResult> {
  const claim = await deps.store.deliveries.claimDelivery(input.deliveryKey, input.executionName);
  if (!claim.first && isSettledStart(claim)) return { status: 'duplicate', changeId: claim.changeId };
  return startClaimed(deps, input, claim);
}

/**
 * The start itself, once the delivery key is claimed (the webhook claims before it reads the
 * spec, so a duplicate never reaches the YAML parser; see startOnce for the rules).
 */
export async function startClaimed(deps: { store: Store; starter: ExecutionStarter }, input: StartOnceInput, claim: DeliveryClaim): Promise<StartOnceResult> {
  const { deliveries } = deps.store;
  const log = (outcome: 'started' | 'refused', changeId: string, reason?: string) =>
    deliveries.recordDelivery({ key: input.deliveryKey, source: input.source, outcome, changeId, reason });
  if (!claim.first && isSettledStart(claim)) return { status: 'duplicate', changeId: claim.changeId };
  const changeId = claim.first ? input.executionName : claim.changeId;
  const retrying = !claim.first && claim.outcome === 'start-failed';
  let outcome: StartOutcome;
  try {
    outcome = await deps.starter.start(changeId, canonicalJson(input.request));
  } catch (err) {
    await deliveries.settleDelivery(input.deliveryKey, { outcome: 'start-failed', reason: (err as Error).message });
    await log('refused', changeId, `${startFailedReason} ${(err as Error).message}`);
    throw err;
  }
  await deliveries.settleDelivery(input.deliveryKey, { outcome: 'started', changeId });
  if (outcome.kind === 'started' && (claim.first || retrying)) {
    await log('started', changeId, retrying ? 'retry after a failed start' : undefined);
    return { status: 'started', changeId, executionArn: outcome.executionArn };
  }
  return { status: 'duplicate', changeId };
}
