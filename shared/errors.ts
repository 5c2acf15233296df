// Errors carry a stable `name` so that Step Functions Retry/Catch, the agent and the CLI can
// match them without parsing messages.
export abstract class ChangeflowError extends Error {
  abstract override readonly name: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input that does not satisfy a schema; `issues` name each offending field by JSON path. */
export class InvalidInput extends ChangeflowError {
  override readonly name = 'InvalidInput' as const;
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}
