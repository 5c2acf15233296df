import { spawn } from 'node:child_process';
import { CiliumNotRunnable } from './errors.js';

// Runs the cilium CLI the safe way: an argument array (never a shell), a hard process timeout on
// top of the CLI's own --timeout/--wait-duration, and stdout/stderr captured up to a size limit so
// a chatty connectivity test cannot exhaust the agent's memory.
export interface CiliumRunOptions {
  timeoutMs: number;
  maxOutputBytes?: number;
  /** Extra environment (KUBECONFIG, CILIUM_NAMESPACE…); PATH and HOME are kept. */
  env?: Record<string, string>;
  cwd?: string;
  /** The command was abandoned (deadline, agent shutdown): stop the CLI like a timeout does. */
  signal?: AbortSignal;
  /** Each complete stdout line as it arrives (the connectivity test's progress); the output is still captured. */
  onStdoutLine?: (line: string) => void;
}

export interface CiliumRun {
  args: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** The process outlived timeoutMs and was killed (SIGTERM, then SIGKILL after a grace period). */
  timedOut: boolean;
  durationMs: number;
}

const killGraceMs = 2_000;

export function runCilium(binaryPath: string, args: string[], opts: CiliumRunOptions): Promise<CiliumRun> {
  const limit = opts.maxOutputBytes ?? 4 * 1024 * 1024;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(binaryPath, args, {
      shell: false,
      cwd: opts.cwd,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = capture(limit);
    const err = capture(limit);
    child.stdout.on('data', out.add);
    if (opts.onStdoutLine) child.stdout.on('data', lineSplitter(opts.onStdoutLine));
    child.stderr.on('data', err.add);
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);
    // An agent that gave up on the command must not leave a connectivity test running for hours.
    const onAbort = (): void => {
      clearTimeout(timer);
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      clearTimeout(killer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new CiliumNotRunnable(`cannot run ${binaryPath}: ${e.message}; check the agent's cilium.binaryPath`));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        args, exitCode, signal, stdout: out.text(), stderr: err.text(), stdoutTruncated: out.truncated(), stderrTruncated: err.truncated(),
        timedOut, durationMs: Date.now() - started,
      });
    });
  });
}

function capture(limit: number): { add: (b: Buffer) => void; text: () => string; truncated: () => boolean } {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  return {
    add: (b: Buffer) => {
      if (size >= limit) {
        dropped = true;
        return;
      }
      const room = limit - size;
      if (b.length > room) dropped = true;
      const part = b.length > room ? b.subarray(0, room) : b;
      chunks.push(part);
      size += part.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    truncated: () => dropped,
  };
}

/** Calls `each` with every complete line; a line split across chunks is joined first. */
function lineSplitter(each: (line: string) => void): (b: Buffer) => void {
  let rest = '';
  return (b) => {
    const lines = (rest + b.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    // Bound the carried-over part: a line without end must not grow without limit.
    if (rest.length > 64 * 1024) rest = '';
    for (const line of lines) each(line);
  };
}
