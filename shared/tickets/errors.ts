import { ChangeflowError } from '../errors.js';

/**
 * A ticket write-back that failed for good (after retries, or refused outright). The workflow's
 * notify step catches it, records it in the audit trail and raises an alarm; it never changes
 * the change's outcome or triggers a rollback.
 */
export class TicketWriteFailed extends ChangeflowError {
  override readonly name = 'TicketWriteFailed' as const;
  constructor(
    message: string,
    readonly detail: {
      system: 'servicenow' | 'jira' | 'none';
      operation: string;
      ticket: string;
      attempts: number;
      status?: number;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The ticket's approval could not be read just before applying (after retries). The re-check
 * fails closed: without a confirmed approval nothing is applied.
 */
export class TicketReadFailed extends ChangeflowError {
  override readonly name = 'TicketReadFailed' as const;
}
