import * as z from '../../zod.js';
import { canonicalHash } from '../../canonical-json.js';
import { InvalidInput } from '../../errors.js';
import { ChangeRequest } from '../../spec/change-request.js';
import { issuesFromZod, type SpecIssue } from '../../spec/issues.js';
import type { NewChange } from '../../store/index.js';
import { summarizeChange } from '../../kinds/summary.js';
import type { WorkflowDeps } from '../deps.js';
import type { WorkflowState } from '../state.js';
import { writePhaseNote } from '../ticket-notes.js';
import { cameThroughWebhook } from '../ticket-trust.js';

// The first step: whatever started the execution (webhook, console, CLI), the input is validated
// here like any webhook body. An invalid request still becomes a FAILED change with the zod
// messages in its audit trail, so a typo in the console is a clear record, not a crash.
// The spec arrives as JSON: intake (the webhooks, POST /changes) read any YAML text once, so
// only the intake functions carry a YAML parser; a console start pastes the spec as an object.

export const ValidateInput = z.strictObject({
  request: z.unknown(),
  execution: z.strictObject({ name: z.string(), arn: z.string(), startTime: z.string() }),
});
export type ValidateInput = z.infer<typeof ValidateInput>;

export async function validateRequest(deps: WorkflowDeps, input: ValidateInput): Promise<WorkflowState> {
  const changeId = input.execution.name;
  const parsed = ChangeRequest.safeParse(input.request, { reportInput: true });
  const issues: SpecIssue[] = parsed.success ? [] : specTextIssue(input.request) ?? issuesFromZod(parsed.error);
  if (parsed.success && !deps.sites.includes(parsed.data.spec.target.site)) {
    issues.push({
      path: 'spec.target.site',
      message: `site "${parsed.data.spec.target.site}" has no bastion agent; configured sites: ${deps.sites.join(', ')}`,
    });
  }
  if (!parsed.success || issues.length > 0) return recordInvalid(deps, input, issues);
  const request = parsed.data;

  const changes = request.spec.changes.map((c) => summarizeChange(c, request.spec.aci.fabricAsn).replace(/\s+/g, ' '));
  const requester = await requesterOf(deps, request);
  const { created } = await deps.store.changes.create({
    changeId,
    // What `audit export --what changes` and listings show in one column.
    summary: changes.join(' · ').slice(0, 1000),
    ticket: { system: request.ticket.system, key: request.ticket.key ?? 'none', number: request.ticket.number, revision: request.ticket.revision },
    source: request.source,
    targets: request.spec.target,
    requestedBy: requester.shown,
    mode: request.spec.mode,
    executionArn: input.execution.arn,
  });
  const requestRef = await deps.store.documents.putDocument(changeId, 'request', request);
  const state: WorkflowState = {
    change: {
      changeId,
      executionArn: input.execution.arn,
      site: request.spec.target.site,
      fabric: request.spec.target.fabric,
      cluster: request.spec.target.cluster,
      mode: request.spec.mode,
      ticket: {
        system: request.ticket.system,
        key: request.ticket.key ?? 'none',
        number: request.ticket.number,
        ...(request.ticket.system !== 'none' && !cameThroughWebhook(request.source) ? { unconfirmed: true as const } : {}),
      },
      requestRef,
    },
    progress: { aciApplyStarted: false, clusterApplyStarted: false },
  };
  // A retried step finds the change already created: record and note only once.
  if (created) {
    await deps.store.audit.appendEvent({
      changeId,
      type: 'change.received',
      status: 'RECEIVED',
      actor: requester.shown,
      detail: {
        source: request.source,
        requester: requester.detail,
        ticket: request.ticket,
        window: request.window ?? null,
        mode: request.spec.mode,
        target: request.spec.target,
        changes,
        specHash: canonicalHash(request.spec),
        request: requestRef,
      },
    });
    await writePhaseNote(deps, state.change, { phase: 'accepted', changeId, executionName: changeId, target: request.spec.target, mode: request.spec.mode, changes, requestedBy: requester.shown });
  }
  return state;
}

/**
 * The requester as people name them ("Jane Doe (jane.doe)") when the ticket carries an id — a
 * ServiceNow sys_id, a Jira accountId — and the ticketing system knows it; else the id as given.
 * The id stays in change.received's detail; a failed read is recorded there and holds nothing up.
 */
async function requesterOf(deps: WorkflowDeps, request: ChangeRequest): Promise<{ shown: string; detail: Record<string, string> }> {
  const id = request.requestedBy;
  const directory = request.ticket.system === 'none' || !cameThroughWebhook(request.source) ? undefined : deps.requesterDirectories?.[request.ticket.system];
  if (!directory) return { shown: id, detail: { id } };
  try {
    const name = await directory.nameOf(id);
    return name ? { shown: name, detail: { id, name } } : { shown: id, detail: { id } };
  } catch (err) {
    return { shown: id, detail: { id, unresolved: (err as Error).message.slice(0, 500) } };
  }
}

/** A spec pasted as YAML text: say where text is read instead of "expected object, received string". */
function specTextIssue(request: unknown): SpecIssue[] | undefined {
  const spec = typeof request === 'object' && request !== null ? (request as { spec?: unknown }).spec : undefined;
  if (typeof spec !== 'string') return undefined;
  return [{ path: 'spec', message: 'expected the ChangeSpec as an object (JSON); YAML text is read by POST /changes and `changeflow submit`, not by the workflow' }];
}

/** Best-effort identity of an unreadable request, so the FAILED change is findable. */
const Loose = z.looseObject({
  source: z.catch(z.enum(['console', 'api', 'cli', 'servicenow', 'jira']), 'console'),
  requestedBy: z.catch(z.string().check(z.minLength(1)), 'unknown'),
  ticket: z.catch(z.looseObject({ system: z.catch(z.enum(['servicenow', 'jira', 'none']), 'none'), key: z.catch(z.optional(z.string().check(z.minLength(1))), undefined) }), { system: 'none' as const }),
  spec: z.catch(z.looseObject({
      target: z.catch(z.looseObject({
          site: z.catch(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/)), 'unknown'),
          fabric: z.catch(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/)), 'unknown'),
          cluster: z.catch(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/)), 'unknown'),
        }), { site: 'unknown', fabric: 'unknown', cluster: 'unknown' }),
      mode: z.catch(z.enum(['apply', 'plan-only']), 'apply'),
    }), { target: { site: 'unknown', fabric: 'unknown', cluster: 'unknown' }, mode: 'apply' as const }),
});

async function recordInvalid(deps: WorkflowDeps, input: ValidateInput, issues: SpecIssue[]): Promise<never> {
  const changeId = input.execution.name;
  const hint = Loose.parse(typeof input.request === 'object' && input.request !== null ? input.request : {});
  const identity: NewChange = {
    changeId,
    ticket: { system: hint.ticket.system, key: hint.ticket.key ?? 'none' },
    source: hint.source,
    targets: { site: hint.spec.target.site, fabric: hint.spec.target.fabric, cluster: hint.spec.target.cluster },
    requestedBy: hint.requestedBy,
    mode: hint.spec.mode,
    executionArn: input.execution.arn,
  };
  const { change, created } = await deps.store.changes.create(identity);
  const message = issues.map((i) => `${i.path || '(request)'}: ${i.message}`).join('; ');
  if (created) {
    await deps.store.audit.appendEvent({ changeId, type: 'change.received', status: 'RECEIVED', actor: hint.requestedBy, detail: { valid: false, source: hint.source } });
  }
  if (change.status !== 'FAILED') {
    await deps.store.audit.appendEvent({ changeId, type: 'change.failed', status: 'FAILED', actor: deps.actor, detail: { reason: 'invalid request', issues } });
    await deps.store.changes.updateStatus(changeId, 'FAILED', { outcome: { reason: `invalid request: ${message}`.slice(0, 1000) } });
  }
  throw new InvalidInput(`the change request is invalid: ${message}`, issues);
}
