import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

// aws-local-stepfunctions raises a Task's States.Timeout as its own StatesTimeoutError, which
// Retry/Catch treat apart from every other error (`States.TaskFailed` does not match a timeout)
// and which the package does not export. A callback task times out on the engine's injectable
// clock, not the interpreter's timer, so it must raise that very class: one throwaway run of a
// Task with a 1 ms timeout captures it when this module loads.

const probe: StateMachineDefinition = {
  StartAt: 'Probe',
  States: { Probe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:probe', TimeoutSeconds: 0.001, End: true } },
} as unknown as StateMachineDefinition;

const captured: Promise<Error> = new StateMachine(probe, { validationOptions: { noValidate: true } })
  .run({}, { overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<never>(() => undefined) } } })
  .result.then(
    () => {
      throw new Error('aws-local-stepfunctions did not time out a 1 ms Task; the States.Timeout probe needs updating');
    },
    (error: unknown) => {
      const cause = (error as { cause?: unknown }).cause;
      if (!(cause instanceof Error) || cause.name !== 'States.Timeout') throw new Error(`expected the probe to fail with States.Timeout, got ${String(cause)}`);
      return cause;
    },
  );

/** A States.Timeout error the interpreter's Retry/Catch treat exactly like its own timeout. */
export async function statesTimeout(cause: string): Promise<Error> {
  const sample = await captured;
  const error = Object.create(Object.getPrototypeOf(sample) as object, Object.getOwnPropertyDescriptors(sample)) as Error;
  error.message = cause;
  error.stack = `${error.name}: ${cause}`;
  return error;
}
