import { ChangeflowError } from '../../../shared/errors.js';

/**
 * A Table API error reply as a real instance sends it:
 * `{"error": {"message", "detail"}, "status": "failure"}`. `reason` is the lab's own explanation,
 * sent as the X-Lab-Reason header because the real detail text rarely says what was wrong.
 */
export class TableApiError extends ChangeflowError {
  override readonly name = 'TableApiError' as const;
  constructor(
    readonly httpStatus: number,
    readonly errorMessage: string,
    readonly detail: string | null,
    readonly reason?: string,
  ) {
    super(reason ?? `${errorMessage}: ${detail ?? ''}`);
  }

  body(): { error: { message: string; detail: string | null }; status: 'failure' } {
    return { error: { message: this.errorMessage, detail: this.detail }, status: 'failure' };
  }
}

export const tableErrors = {
  notAuthenticated: () => new TableApiError(401, 'User Not Authenticated', 'Required to provide Auth information'),
  noRecord: () => new TableApiError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
  invalidTable: (table: string) => new TableApiError(400, `Invalid table ${table}`, null),
  badRequest: (message: string, detail: string | null = null) => new TableApiError(400, message, detail),
  /** What the "State model - Can change state?" business rule's abort looks like over REST. */
  stateModel: (sysId: string, from: string, to: string) =>
    new TableApiError(
      403,
      'Operation Failed',
      `Operation against file 'change_request' was aborted by Business Rule 'State model - Can change state?^${sysId}'. Business Rule Stack:State model - Can change state?`,
      `the change_request state model does not allow ${from} -> ${to}`,
    ),
  dataPolicy: (fields: string[]) =>
    new TableApiError(403, 'Operation Failed', `Data Policy Exception: \n\tThe following fields are mandatory: ${fields.join(', ')}\n`, `closing needs ${fields.join(' and ')}`),
  invalidChoice: (field: string, value: string, allowed: readonly string[]) =>
    new TableApiError(403, 'Operation Failed', `Invalid value '${value}' for ${field}`, `${field} must be one of ${allowed.join(', ')}`),
  fault: (status: number) => new TableApiError(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error', 'lab fault servicenow.any'),
};
