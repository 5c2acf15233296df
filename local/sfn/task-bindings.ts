import { walkStates, type AslState } from './asl.js';
import { MissingTaskImplementation } from './errors.js';
import type { LocalActivityDef, LocalLambdaDef, LocalMachineDef } from './stack-machines.js';

// Every Task state resolves to a local implementation before a machine is accepted: a Task the
// interpreter would run itself calls real AWS Lambda, which a local run must never do.
//
// `callback` marks the `.waitForTaskToken` form: the call hands `$$.Task.Token` to someone who
// answers later with SendTaskSuccess / SendTaskFailure (AWS supports it for lambda:invoke and
// sns:publish among the integrations that run locally; DynamoDB has only request-response).
export type TaskBinding =
  | { kind: 'lambda-invoke'; stateName: string; state: AslState; callback: boolean }
  | { kind: 'lambda-arn'; stateName: string; state: AslState; lambda: LocalLambdaDef }
  | { kind: 'activity'; stateName: string; state: AslState; activityArn: string }
  | { kind: 'sns-publish'; stateName: string; state: AslState; callback: boolean }
  | { kind: 'dynamodb'; stateName: string; state: AslState; action: DynamoAction };

export const dynamoActions = ['putItem', 'updateItem', 'getItem', 'deleteItem'] as const;
export type DynamoAction = (typeof dynamoActions)[number];

const lambdaArn = /^arn:aws:lambda:[^:]*:\d{12}:function:([^:]+)(?::[^:]+)?$/;
const partialLambdaName = /^(?:\d{12}:function:)?([^:]+)(?::[^:]+)?$/;
const activityArn = /^arn:aws:states:[^:]*:\d{12}:activity:.+$/;
const integration = /^arn:aws:states:::([a-z0-9]+):([A-Za-z]+)(\.[A-Za-z]+)?$/;
const taskTokenPath = '$$.Task.Token';

/** Whether Parameters pass `$$.Task.Token` anywhere (a `key.$` path or an intrinsic argument). */
export function referencesTaskToken(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(referencesTaskToken);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, v]) => (key.endsWith('.$') && typeof v === 'string' ? v.includes(taskTokenPath) : referencesTaskToken(v)));
}

/** Finds a function by name, logical id, ARN or partial ARN, with or without a qualifier. */
export function findLambda(lambdas: readonly LocalLambdaDef[], nameOrArn: string): LocalLambdaDef | undefined {
  const name = lambdaArn.exec(nameOrArn)?.[1] ?? partialLambdaName.exec(nameOrArn)?.[1] ?? nameOrArn;
  return lambdas.find((l) => l.functionName === name || l.logicalId === name);
}

export interface BindingOptions {
  /** Activities known to the runtime besides the stack's own (CreateActivity). */
  activities?: readonly Pick<LocalActivityDef, 'arn'>[];
  dynamodbEndpoint?: string;
}

export function bindTasks(machine: LocalMachineDef, options: BindingOptions = {}): Map<string, TaskBinding> {
  const bindings = new Map<string, TaskBinding>();
  const missing: Array<{ state: string; resource: string; reason: string }> = [];
  const knownActivities = new Set([...machine.activities, ...(options.activities ?? [])].map((a) => a.arn));
  for (const { name, state } of walkStates(machine.definition)) {
    if (state.Type !== 'Task') continue;
    const resource = state.Resource ?? '';
    const outcome = bindOne(name, state, resource, machine, knownActivities, options);
    if (typeof outcome === 'string') missing.push({ state: name, resource, reason: outcome });
    else bindings.set(name, outcome);
  }
  if (missing.length > 0) {
    const list = missing.map((m) => `"${m.state}" (${m.resource}): ${m.reason}`).join('; ');
    throw new MissingTaskImplementation(
      `state machine ${machine.name} has Task states without a local implementation: ${list}. ` +
        'Give each Lambda function changeflow:entry metadata, use an Activity of the stack, or one of the ' +
        'supported integrations (lambda:invoke and sns:publish, also as .waitForTaskToken; dynamodb:putItem|updateItem|getItem|deleteItem)',
      missing,
    );
  }
  return bindings;
}

function bindOne(
  stateName: string,
  state: AslState,
  resource: string,
  machine: LocalMachineDef,
  knownActivities: Set<string>,
  options: BindingOptions,
): TaskBinding | string {
  if (lambdaArn.test(resource)) {
    const lambda = findLambda(machine.lambdas, resource);
    return lambda ? { kind: 'lambda-arn', stateName, state, lambda } : 'the function has no changeflow:entry metadata';
  }
  if (activityArn.test(resource)) {
    return knownActivities.has(resource)
      ? { kind: 'activity', stateName, state, activityArn: resource }
      : 'no such activity in the stack';
  }
  const match = integration.exec(resource);
  if (!match) return 'not a Lambda function, an activity or a supported service integration';
  const [, service, action, pattern] = match;
  const callback = pattern === '.waitForTaskToken';
  const passesToken = referencesTaskToken(state.Parameters);
  if (pattern && !callback) return `integration pattern ${pattern} is not supported locally; use the request-response or .waitForTaskToken form`;
  if (callback && !(service === 'lambda' && action === 'invoke') && !(service === 'sns' && action === 'publish')) {
    return `${service}:${action}.waitForTaskToken is not supported locally (lambda:invoke and sns:publish are)`;
  }
  // A callback nobody can answer would wait until TimeoutSeconds; outside a callback the path does not exist.
  if (callback && !passesToken) return `a .waitForTaskToken task must pass ${taskTokenPath} in its Parameters, or nobody can answer it`;
  if (!callback && passesToken) return `${taskTokenPath} exists only in .waitForTaskToken tasks`;
  if (service === 'lambda' && action === 'invoke') {
    const params = (state.Parameters ?? {}) as Record<string, unknown>;
    const fixed = params['FunctionName'];
    if (typeof fixed === 'string' && !findLambda(machine.lambdas, fixed)) return `function ${fixed} has no changeflow:entry metadata`;
    if (fixed === undefined && params['FunctionName.$'] === undefined) return 'Parameters.FunctionName is missing';
    return { kind: 'lambda-invoke', stateName, state, callback };
  }
  if (service === 'sns' && action === 'publish') return { kind: 'sns-publish', stateName, state, callback };
  if (service === 'dynamodb' && (dynamoActions as readonly string[]).includes(action ?? '')) {
    if (!options.dynamodbEndpoint) return 'DynamoDB integrations need startLocalSfn({ dynamodbEndpoint })';
    return { kind: 'dynamodb', stateName, state, action: action as DynamoAction };
  }
  return `service integration ${service}:${action} is not supported locally`;
}
