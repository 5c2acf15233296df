import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from '../../shared/zod.js';
import type { ApiServer } from './server.js';

// `startApiProcess`: the local HTTP API (server.ts, the same handler modules as Lambda) in a child
// process (api-child.ts), as on AWS where the API's functions never share the engine's event
// loop. The parent hands it the stack's configuration (`setEnv`, as a Lambda's environment) and
// can ask what CPU it has used (`cpuUsage`, for `npm run bench intake`).

export interface ApiProcess extends ApiServer {
  /** Sets these variables in the API process (the handlers read their configuration there). */
  setEnv(env: Readonly<Record<string, string>>): Promise<void>;
  /** The API process's CPU time so far (user and system, µs). */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
}

export interface ApiProcessOptions {
  readonly port?: number;
  readonly maxBodyBytes?: number;
  /** Where the API process's own lines go (a handler that failed; it exited). */
  readonly log?: (line: string) => void;
  /** The handlers' stdout (their log and EMF metric lines): ours (default), or dropped (benchmarks). */
  readonly stdout?: 'inherit' | 'ignore';
  /** Set in its environment from the start (over this process's own). */
  readonly env?: Readonly<Record<string, string>>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const startTimeoutMs = 60_000;

const ChildMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('listening'), url: z.string() }),
  z.object({ type: z.literal('ack'), id: z.number() }),
  z.object({ type: z.literal('cpu'), id: z.number(), usage: z.object({ user: z.number(), system: z.number() }) }),
]);
type ChildMessage = z.infer<typeof ChildMessage>;

export async function startApiProcess(options: ApiProcessOptions = {}): Promise<ApiProcess> {
  const log = options.log ?? (() => undefined);
  const child = fork(resolve(repoRoot, 'bin/run-ts.mjs'), [resolve(repoRoot, 'local/api/api-child.ts'), JSON.stringify({ port: options.port ?? 0, maxBodyBytes: options.maxBodyBytes })], {
    // The handlers' log lines go where they went when the API ran in this process: our stdout/stderr.
    stdio: ['ignore', options.stdout ?? 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  const pending = new Map<number, (message: ChildMessage) => void>();
  let nextId = 1;
  let exited = false;
  child.on('message', (raw: unknown) => {
    const message = ChildMessage.safeParse(raw);
    if (!message.success) return log(`api: unexpected message from the API process: ${JSON.stringify(raw).slice(0, 200)}`);
    if (message.data.type === 'listening') return;
    pending.get(message.data.id)?.(message.data);
    pending.delete(message.data.id);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    if (code !== 0) log(`api: the API process exited (${signal ?? code})`);
  });
  const url = await listening(child);

  const ask = (message: { type: 'env'; env: Readonly<Record<string, string>> } | { type: 'cpu' }): Promise<ChildMessage> => {
    if (exited) return Promise.reject(new Error('the API process has exited; see its output above'));
    const id = nextId++;
    return new Promise((resolveAnswer) => {
      pending.set(id, resolveAnswer);
      child.send({ ...message, id });
    });
  };
  return {
    url,
    setEnv: async (env) => {
      await ask({ type: 'env', env });
    },
    cpuUsage: async () => {
      const answer = await ask({ type: 'cpu' });
      if (answer.type !== 'cpu') throw new Error(`expected the API process's CPU usage, found a ${answer.type} message`);
      return answer.usage;
    },
    close: () => stop(child),
  };
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`expected the API process to listen within ${startTimeoutMs / 1000} s; it did not`));
    }, startTimeoutMs);
    const onMessage = (raw: unknown) => {
      const message = ChildMessage.safeParse(raw);
      if (message.success && message.data.type === 'listening') {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolveUrl(message.data.url);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`expected the API process to start, it exited (${signal ?? code}); see its output above`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Closing the IPC channel tells the child to close its server and exit; a stuck one is killed. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.disconnect();
  });
}
