import { ChangeflowError } from '../../shared/errors.js';

/** The APIC refused the request: `imdata[0].error` (also on HTTP 200 — NaC #258). */
export class ApicError extends ChangeflowError {
  override readonly name = 'ApicError' as const;
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`APIC answered ${method} ${path} with HTTP ${status}, error ${code}: "${text}"; expected success — fix the request or the fabric state it conflicts with`);
  }
}

/** The APIC stayed unavailable (503/405/5xx, HTML pages, timeouts, resets) through every retry. */
export class ApicUnavailable extends ChangeflowError {
  override readonly name = 'ApicUnavailable' as const;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly attempts: number,
    readonly lastProblem: string,
    options?: { cause?: unknown },
  ) {
    super(`APIC did not answer ${method} ${path} usefully after ${attempts} attempt(s) (last: ${lastProblem}); expected JSON — check APIC health or throttling and retry later`, options);
  }
}

/** Login refused, or a fresh token was rejected again. */
export class ApicAuthFailed extends ChangeflowError {
  override readonly name = 'ApicAuthFailed' as const;
  constructor(message: string) {
    super(message);
  }
}

/** A list of requests stopped part-way: `applied` went through, request `failedIndex` did not. */
export class ApicApplyFailed extends ChangeflowError {
  override readonly name = 'ApicApplyFailed' as const;
  constructor(
    readonly applied: number,
    readonly failedIndex: number,
    readonly dn: string,
    cause: unknown,
  ) {
    super(`APIC request ${failedIndex + 1} (${dn}) failed after ${applied} request(s) applied: ${(cause as Error).message ?? String(cause)}; roll back the applied ones`, { cause });
  }
}
