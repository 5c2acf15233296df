// Exit codes of the CLI (docs and `--help` list them): scripts and CI jobs branch on them.
export const ExitCode = {
  ok: 0,
  /** The change failed, or was rolled back. */
  failed: 1,
  /** Refused before anything was applied: precheck, busy target, window, freeze, ignored ticket. */
  rejected: 2,
  badInput: 3,
  /** No such change, or gave up waiting for it. */
  notFound: 4,
  /** The rollback failed: locks are held and a human is needed. */
  rollbackFailed: 5,
  /** The API refused the request (409): wrong plan hash, not waiting, already final. */
  refused: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One line per code, for `--help` and the README. */
export const exitCodeHelp = 'exit codes: 0 ok, 1 failed or rolled back, 2 rejected, 3 bad input, 4 not found or gave up waiting, 5 rollback failed (a human is needed), 6 refused';
