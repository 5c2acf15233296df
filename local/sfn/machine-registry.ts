import type { StateMachine } from 'aws-local-stepfunctions';
import { ChangeflowError } from '../../shared/errors.js';
import { ActivityDoesNotExist, InvalidArn, InvalidDefinition, InvalidName, StateMachineAlreadyExists, StateMachineDoesNotExist } from './api-errors.js';
import { InvalidStackMachine } from './errors.js';
import { interpreterMachine } from './execution-run.js';
import type { LambdaRunner } from './lambda-runner.js';
import { validateDefinition, type LocalActivityDef, type LocalMachineDef } from './stack-machines.js';
import { bindTasks, type TaskBinding } from './task-bindings.js';

// The state machines and activities the local endpoint serves: the stack's, plus any created
// over the API (whose Tasks may only use the stack's functions and activities).

export interface RegisteredMachine {
  def: LocalMachineDef;
  creationDate: number;
  interpreter: StateMachine;
  bindings: Map<string, TaskBinding>;
}

export interface ActivityInfo {
  arn: string;
  name: string;
  creationDate: number;
}

export const namePattern = /^[A-Za-z0-9_-]{1,80}$/;

export function assertName(name: string): void {
  if (!namePattern.test(name)) throw new InvalidName(`Invalid Name: '${name}' (1–80 characters of A–Z, a–z, 0–9, - and _)`);
}

export class MachineRegistry {
  private readonly machines = new Map<string, RegisteredMachine>();
  private readonly activities = new Map<string, ActivityInfo>();

  constructor(
    private readonly account: { region: string; accountId: string },
    private readonly runner: LambdaRunner,
    private readonly dynamodbEndpoint: string | undefined,
    stackMachines: readonly LocalMachineDef[],
  ) {
    const now = Date.now();
    for (const machine of stackMachines) {
      if (!machine.arn.includes(`:${account.region}:${account.accountId}:`)) {
        throw new InvalidStackMachine(
          `state machine ${machine.name} has ARN ${machine.arn}, outside the runtime's region ${account.region} and account ` +
            `${account.accountId}; pass the same region/accountId to loadStackMachines and startLocalSfn`,
        );
      }
      for (const activity of machine.activities) this.addActivity(activity, now);
    }
    for (const machine of stackMachines) this.register(machine, now);
  }

  /** Binds every Task (refusing the machine if one has no local implementation) and checks handler modules exist. */
  private register(def: LocalMachineDef, now: number): RegisteredMachine {
    const bindings = bindTasks(def, { activities: [...this.activities.values()], dynamodbEndpoint: this.dynamodbEndpoint });
    for (const lambda of def.lambdas) this.runner.assertEntryExists(lambda);
    const machine = { def, creationDate: now, interpreter: interpreterMachine(def.definition), bindings };
    this.machines.set(def.arn, machine);
    return machine;
  }

  private addActivity(activity: Pick<LocalActivityDef, 'arn' | 'name'>, now: number): ActivityInfo {
    const existing = this.activities.get(activity.arn);
    if (existing) return existing;
    const info = { arn: activity.arn, name: activity.name, creationDate: now };
    this.activities.set(activity.arn, info);
    return info;
  }

  listStateMachines(): RegisteredMachine[] {
    return [...this.machines.values()];
  }

  stateMachine(arn: string): RegisteredMachine {
    if (!/^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn)) throw new InvalidArn(`Invalid Arn: '${arn}' is not a state machine ARN`);
    const machine = this.machines.get(arn);
    if (!machine) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  /** CreateStateMachine: idempotent for the same definition and role, as on AWS. */
  createStateMachine(input: { name: string; definition: string; roleArn: string; type?: 'STANDARD' | 'EXPRESS' }): RegisteredMachine {
    assertName(input.name);
    const arn = `arn:aws:states:${this.account.region}:${this.account.accountId}:stateMachine:${input.name}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.definition);
    } catch (error) {
      throw new InvalidDefinition(`Invalid State Machine Definition: not JSON (${(error as Error).message})`);
    }
    const existing = this.machines.get(arn);
    if (existing) {
      if (JSON.stringify(existing.def.definition) === JSON.stringify(parsed) && existing.def.roleArn === input.roleArn) return existing;
      throw new StateMachineAlreadyExists(`State Machine Already Exists: '${arn}' with a different definition or role`);
    }
    const lambdas = [...this.machines.values()].flatMap((m) => m.def.lambdas);
    try {
      return this.register(
        {
          logicalId: input.name,
          name: input.name,
          arn,
          type: input.type ?? 'STANDARD',
          roleArn: input.roleArn,
          definition: validateDefinition(input.name, parsed),
          lambdas: [...new Map(lambdas.map((l) => [l.arn, l])).values()],
          activities: [...this.activities.values()].map((a) => ({ logicalId: a.name, name: a.name, arn: a.arn })),
        },
        Date.now(),
      );
    } catch (error) {
      // Over the API every reason to refuse a definition is InvalidDefinition, with our message.
      if (error instanceof ChangeflowError) throw new InvalidDefinition(`Invalid State Machine Definition: ${error.message}`);
      throw error;
    }
  }

  /** CreateActivity is idempotent on AWS: the same name returns the same activity. */
  createActivity(name: string): ActivityInfo {
    assertName(name);
    return this.addActivity({ arn: `arn:aws:states:${this.account.region}:${this.account.accountId}:activity:${name}`, name }, Date.now());
  }

  listActivities(): ActivityInfo[] {
    return [...this.activities.values()];
  }

  activity(arn: string): ActivityInfo {
    if (!/^arn:aws:states:[^:]+:\d{12}:activity:[^:]+$/.test(arn)) throw new InvalidArn(`Invalid Arn: '${arn}' is not an activity ARN`);
    const info = this.activities.get(arn);
    if (!info) throw new ActivityDoesNotExist(`Activity Does Not Exist: '${arn}'`);
    return info;
  }
}
