// Exit codes of DESIGN.md §3.4: scripts and CI jobs branch on them.
export const ExitCode = {
  ok: 0,
  failed: 1,
  rejected: 2,
  badInput: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
