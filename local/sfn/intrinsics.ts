import { InvalidStackMachine } from './errors.js';
import type { CfnTemplate, LocalAccount, TemplateResource } from './template.js';

// CloudFormation resolves Ref/GetAtt to physical names and ARNs at deploy time; locally we mint
// them from logical ids so that a definition's ARNs point at the local resources. Lambda
// functions are always named by logical id (the contract with `changeflow:entry` metadata).

const nameProperty: Record<string, string> = {
  'AWS::StepFunctions::Activity': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Logs::LogGroup': 'LogGroupName',
};

export function localPhysicalName(logicalId: string, resource: TemplateResource): string {
  const prop = nameProperty[resource.Type];
  const given = prop ? resource.Properties?.[prop] : undefined;
  return typeof given === 'string' ? given : logicalId;
}

export function localArn(logicalId: string, resource: TemplateResource, account: LocalAccount): string {
  const name = localPhysicalName(logicalId, resource);
  const { region, accountId } = account;
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
    case 'AWS::StepFunctions::Activity':
      return `arn:aws:states:${region}:${accountId}:activity:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${accountId}:role/${name}`;
    case 'AWS::Logs::LogGroup':
      return `arn:aws:logs:${region}:${accountId}:log-group:${name}:*`;
    default: {
      const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
      return `arn:aws:${service}:${region}:${accountId}:${name}`;
    }
  }
}

// What `Ref` returns differs per resource type, as on AWS.
const refIsArn = new Set(['AWS::StepFunctions::Activity', 'AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic']);

export interface IntrinsicScope {
  template: CfnTemplate;
  account: LocalAccount;
  stackName: string;
}

function resourceOf(scope: IntrinsicScope, logicalId: string, where: string): TemplateResource {
  const resource = scope.template.Resources[logicalId];
  if (!resource) {
    throw new InvalidStackMachine(
      `${where} refers to resource ${logicalId}, which is not in stack ${scope.stackName}; ` +
        'the local runtime only resolves references to resources of the same stack',
    );
  }
  return resource;
}

function ref(scope: IntrinsicScope, target: string): unknown {
  switch (target) {
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::Region':
      return scope.account.region;
    case 'AWS::AccountId':
      return scope.account.accountId;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return scope.stackName;
    case 'AWS::NoValue':
      return undefined;
  }
  const resource = resourceOf(scope, target, `Ref ${target}`);
  if (refIsArn.has(resource.Type)) return localArn(target, resource, scope.account);
  if (resource.Type === 'AWS::SQS::Queue') {
    return `http://sqs.${scope.account.region}.localhost/${scope.account.accountId}/${localPhysicalName(target, resource)}`;
  }
  return localPhysicalName(target, resource);
}

function getAtt(scope: IntrinsicScope, logicalId: string, attribute: string): unknown {
  const resource = resourceOf(scope, logicalId, `Fn::GetAtt ${logicalId}.${attribute}`);
  if (attribute === 'Arn') return localArn(logicalId, resource, scope.account);
  if (attribute === 'Name' || attribute.endsWith('Name')) return localPhysicalName(logicalId, resource);
  if (attribute === 'StreamArn') return `${localArn(logicalId, resource, scope.account)}/stream/local`;
  throw new InvalidStackMachine(
    `Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) has no local value; ` +
      'only Arn and name attributes are resolved locally — reference the resource by Arn or Ref instead',
  );
}

function substitute(scope: IntrinsicScope, text: string, vars: Record<string, unknown>): string {
  return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, key: string) => {
    if (key in vars) return String(vars[key]);
    const [id, attribute] = key.split('.');
    const value = attribute ? getAtt(scope, id ?? key, attribute) : ref(scope, key);
    return String(value);
  });
}

/** Evaluates every intrinsic function in `value` (any JSON) against the stack's template. */
export function evaluateIntrinsics(value: unknown, scope: IntrinsicScope): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => evaluateIntrinsics(v, scope)).filter((v) => v !== undefined);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    return evaluateFunction(first[0], first[1], scope);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const evaluated = evaluateIntrinsics(v, scope);
    if (evaluated !== undefined) out[key] = evaluated;
  }
  return out;
}

function evaluateFunction(fn: string, rawArgs: unknown, scope: IntrinsicScope): unknown {
  const args = fn === 'Ref' ? rawArgs : evaluateIntrinsics(rawArgs, scope);
  switch (fn) {
    case 'Ref':
      return ref(scope, String(rawArgs));
    case 'Fn::GetAtt': {
      const [id, ...attr] = Array.isArray(args) ? args.map(String) : String(args).split('.');
      return getAtt(scope, id ?? '', attr.join('.'));
    }
    case 'Fn::Join': {
      const [sep, parts] = args as [string, unknown[]];
      return parts.map(String).join(sep);
    }
    case 'Fn::Sub':
      return Array.isArray(args)
        ? substitute(scope, String(args[0]), (args[1] ?? {}) as Record<string, unknown>)
        : substitute(scope, String(args), {});
    case 'Fn::Select': {
      const [index, list] = args as [number | string, unknown[]];
      return list[Number(index)];
    }
    case 'Fn::Split': {
      const [sep, text] = args as [string, string];
      return text.split(sep);
    }
    default:
      throw new InvalidStackMachine(
        `${fn} is not evaluated by the local runtime; use Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select or Fn::Split ` +
          'in values the state machine or its functions read',
      );
  }
}
