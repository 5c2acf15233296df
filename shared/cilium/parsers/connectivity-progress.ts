// `cilium connectivity test` announces each test on its own console line as it starts
// (reference: cilium-cli's `[=] [<ns>] Test [<name>] [<i>/<n>]` and `[=] [<ns>] Skipping test
// [<name>] [<i>/<n>] (<why>)`, timestamps optional in front). Read line by line while the test
// runs, that is its progress: tests done of the total and the one running now.

export interface ConnectivityProgress {
  /** Tests finished (passed, failed or skipped) before the one now running. */
  readonly done: number;
  readonly total: number;
  /** The test running now; undefined once a skip was the last line. */
  readonly running?: string;
}

const testLine = /\[=\] \[[^\]]*\] (Skipping test|Test) \[([^\]]+)\] \[(\d+)\/(\d+)\]/;

/** The progress a console line tells, or undefined for every other line. */
export function connectivityProgressOf(line: string): ConnectivityProgress | undefined {
  const m = testLine.exec(line);
  if (!m) return undefined;
  const index = Number(m[3]);
  const total = Number(m[4]);
  if (!Number.isInteger(index) || !Number.isInteger(total) || index < 1 || index > total) return undefined;
  return m[1] === 'Test' ? { done: index - 1, total, running: m[2] } : { done: index, total };
}
