// The clock of the engine's own deadlines (task heartbeats, callback timeouts). Production uses
// the process's timers; tests pass a manual clock so a timeout is a step they take, not a wait.
export interface Timers {
  now(): number;
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// Looked up on every call (not captured at import) so vitest's fake timers still apply.
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fire, ms) => setTimeout(fire, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};
