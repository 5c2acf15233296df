import aslValidator from 'asl-validator';
import { App, Stage, type Stack } from 'aws-cdk-lib';
import * as z from '../../shared/zod.js';
import { AslDefinition } from './asl.js';
import { refuseUnsupportedFeatures } from './asl-features.js';
import { InvalidStackMachine, InvalidStateMachineDefinition } from './errors.js';
import { evaluateIntrinsics, localArn, localPhysicalName, type IntrinsicScope } from './intrinsics.js';
import { CfnTemplate, LocalAccount, defaultLocalAccount } from './template.js';

/** A Lambda function of the stack that the local runtime can run in-process. */
export const LocalLambdaDef = z.object({
  logicalId: z.string(),
  functionName: z.string(),
  arn: z.string(),
  /** Handler module, relative to the repository root (`changeflow:entry` metadata). */
  entry: z.string(),
  exportName: z.string(),
  timeoutSeconds: z.number(),
  memoryMb: z.number(),
  environment: z.record(z.string(), z.string()),
});
export type LocalLambdaDef = z.infer<typeof LocalLambdaDef>;

export const LocalActivityDef = z.object({ logicalId: z.string(), name: z.string(), arn: z.string() });
export type LocalActivityDef = z.infer<typeof LocalActivityDef>;

export const LocalMachineDef = z.object({
  logicalId: z.string(),
  name: z.string(),
  arn: z.string(),
  type: z.enum(['STANDARD', 'EXPRESS']),
  roleArn: z.string(),
  /** Plain ASL: intrinsics evaluated, validated, free of features the interpreter ignores. */
  definition: AslDefinition,
  /** Every function and activity of the stack, so dynamic FunctionName values resolve too. */
  lambdas: z.array(LocalLambdaDef),
  activities: z.array(LocalActivityDef),
});
export type LocalMachineDef = z.infer<typeof LocalMachineDef>;

/**
 * Builds a stack in a fresh App set up for fast in-process synth: no asset bundling, no
 * built-in CloudFormation validation (3.5–7 s → ~0.15 s). The dev stack passes
 * `(app) => new ChangeflowStack(app, …)`.
 */
export function synthStack(factory: (app: App) => Stack): Stack {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
    analyticsReporting: false,
  });
  return factory(app);
}

/** The stack's state machines as plain ASL the local runtime runs (see LocalMachineDef). */
export function loadStackMachines(stack: Stack, account: Partial<LocalAccount> = {}): LocalMachineDef[] {
  const stage = Stage.of(stack);
  if (!stage) throw new InvalidStackMachine(`stack ${stack.stackName} is not part of an App; build it with synthStack()`);
  const template: unknown = stage.synth().getStackArtifact(stack.artifactId).template;
  return loadTemplateMachines(template, { stackName: stack.stackName, account: LocalAccount.parse(account) });
}

export function loadTemplateMachines(
  rawTemplate: unknown,
  options: { stackName: string; account?: LocalAccount },
): LocalMachineDef[] {
  const template = CfnTemplate.parse(rawTemplate);
  const scope: IntrinsicScope = { template, account: options.account ?? defaultLocalAccount, stackName: options.stackName };
  const resources = Object.entries(template.Resources);
  const lambdas = resources.flatMap(([id, r]) => (r.Type === 'AWS::Lambda::Function' ? lambdaDef(id, scope) : []));
  const activities = resources
    .filter(([, r]) => r.Type === 'AWS::StepFunctions::Activity')
    .map(([id, r]) => ({ logicalId: id, name: localPhysicalName(id, r), arn: localArn(id, r, scope.account) }));
  return resources
    .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
    .map(([id]) => machineDef(id, scope, lambdas, activities));
}

function lambdaDef(logicalId: string, scope: IntrinsicScope): LocalLambdaDef[] {
  const resource = scope.template.Resources[logicalId]!;
  const entry = resource.Metadata?.['changeflow:entry'];
  // Functions without the metadata (CDK custom-resource providers, log retention…) are not
  // workflow steps; a Task that names one is refused later with the function's logical id.
  if (typeof entry !== 'string') return [];
  const exportName = resource.Metadata?.['changeflow:export'];
  const props = resource.Properties ?? {};
  const env = evaluateIntrinsics((props['Environment'] as { Variables?: unknown } | undefined)?.Variables ?? {}, scope);
  return [
    {
      logicalId,
      functionName: localPhysicalName(logicalId, resource),
      arn: localArn(logicalId, resource, scope.account),
      entry,
      exportName: typeof exportName === 'string' ? exportName : 'handler',
      timeoutSeconds: typeof props['Timeout'] === 'number' ? props['Timeout'] : 3,
      memoryMb: typeof props['MemorySize'] === 'number' ? props['MemorySize'] : 128,
      environment: Object.fromEntries(Object.entries(env as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    },
  ];
}

function machineDef(
  logicalId: string,
  scope: IntrinsicScope,
  lambdas: LocalLambdaDef[],
  activities: LocalMachineDef['activities'],
): LocalMachineDef {
  const resource = scope.template.Resources[logicalId]!;
  const props = resource.Properties ?? {};
  const name = localPhysicalName(logicalId, resource);
  let definition: unknown;
  if (props['DefinitionString'] !== undefined) {
    const text = evaluateIntrinsics(props['DefinitionString'], scope);
    definition = JSON.parse(String(text));
  } else if (props['Definition'] !== undefined) {
    definition = evaluateIntrinsics(props['Definition'], scope);
  } else {
    throw new InvalidStackMachine(
      `state machine ${name} (${logicalId}) has no DefinitionString or Definition; ` +
        'the local runtime cannot read definitions from S3 — use DefinitionBody.fromChainable or fromString',
    );
  }
  const substitutions = props['DefinitionSubstitutions'];
  if (substitutions !== undefined) {
    definition = applySubstitutions(definition, evaluateIntrinsics(substitutions, scope) as Record<string, unknown>);
  }
  const asl = validateDefinition(name, definition);
  const roleArn = evaluateIntrinsics(props['RoleArn'], scope);
  return {
    logicalId,
    name,
    arn: localArn(logicalId, resource, scope.account),
    type: props['StateMachineType'] === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    roleArn: typeof roleArn === 'string' ? roleArn : `arn:aws:iam::${scope.account.accountId}:role/${name}-role`,
    definition: asl,
    lambdas,
    activities,
  };
}

function applySubstitutions(definition: unknown, substitutions: Record<string, unknown>): unknown {
  const text = JSON.stringify(definition).replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, key: string) =>
    key in substitutions ? String(substitutions[key]) : whole,
  );
  return JSON.parse(text);
}

/** The local feature check, then asl-validator; returns the parsed definition. */
export function validateDefinition(machineName: string, definition: unknown): AslDefinition {
  const shape = AslDefinition.safeParse(definition);
  // The feature check is cheap and its message more specific: run it before the validator,
  // which compiles its JSON schemas on every call (~0.3–1.5 s).
  if (shape.success) refuseUnsupportedFeatures(machineName, shape.data);
  // asl-validator writes defaults into the object it checks: give it a copy.
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  if (!result.isValid || !shape.success) {
    throw new InvalidStateMachineDefinition(
      `state machine ${machineName} is not valid ASL after evaluating its intrinsics: ${result.errorsText('; ') || shape.error?.message}`,
    );
  }
  return shape.data;
}
