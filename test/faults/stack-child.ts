import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNowDelivery } from '../../local/dev/demo-tickets.js';
import { startDevStack, type DevStack } from '../../local/dev/dev-stack.js';
import type { FaultBook } from '../../local/lab/faults.js';
import { faultTiming } from './fault-timing.js';
import { FaultTap } from './fault-tap.js';
import { BookName, ChildOptions, StackRequest, type ChildMessage } from './stack-protocol.js';

// One dev stack in its own process, driven by the fault suite over IPC (stack-protocol.ts). Run
// as `fork('bin/run-ts.mjs', ['test/faults/stack-child.ts', JSON options])`. Logs of the stack and
// its agent go to DATA_DIR/stack.log, where the suite reads them (crash lines, failure reports).

const options = ChildOptions.parse(JSON.parse(process.argv[2] ?? '{}'));
const logPath = join(options.dataDir, 'stack.log');
const log = (line: string) => appendFileSync(logPath, `${line}\n`);
const send = (message: ChildMessage) => process.send?.(message);

function booksOf(stack: DevStack): Record<BookName, FaultBook> {
  const { lab } = stack;
  return { apic: lab.apic.faults, kubernetes: lab.kubernetes.faults, world: lab.world.faults, servicenow: lab.servicenow.faults, jira: lab.jira.faults };
}

async function agentStarted(timeoutMs: number): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const text = await readFile(logPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    if (text.includes('"message":"agent started"')) return;
    if (Date.now() > deadline) throw new Error(`expected the lab agent to log "agent started" within ${timeoutMs} ms; see ${logPath}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  let stack: DevStack;
  try {
    stack = await startDevStack({ port: 0, dataDir: options.dataDir, faults: options.faults, timing: faultTiming(options.steps), log });
    // The agent process takes seconds to boot; a case's duration should measure its fault, not that.
    await agentStarted(60_000);
  } catch (err) {
    send({ kind: 'startFailed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  let closing: Promise<void> | undefined;
  const closeOnce = () => (closing ??= stack.close());
  const books = booksOf(stack);
  // Every book is tapped from the start of each case, so a case can ask which calls it saw.
  const taps = new Map<BookName, FaultTap>();
  const retap = () => {
    for (const t of taps.values()) t.detach();
    for (const name of BookName.options) taps.set(name, new FaultTap(books[name]));
  };
  const tap = (name: BookName): FaultTap => {
    const t = taps.get(name);
    if (!t) throw new Error(`no tap on the ${name} fault book`);
    return t;
  };
  retap();

  const handle = async (request: StackRequest): Promise<unknown> => {
    switch (request.op) {
      case 'clearFaults':
        for (const book of Object.values(books)) book.clear();
        retap();
        return null;
      case 'addFault':
        books[request.book].add(request.fault);
        return null;
      case 'setFaultAt':
        tap(request.on).setAt(request.call, request.nth, request.when, books[request.target], request.fault);
        return null;
      case 'calls':
        return { calls: tap(request.book).calls, sinceTrigger: tap(request.book).sinceTrigger() };
      case 'dumps': {
        await Promise.all([stack.lab.apic.jobsSettled(), stack.lab.kubernetes.settle()]);
        const read = async (url: string) => (await fetch(`${url}/_lab/dump`)).text();
        const [apic, kubernetes] = await Promise.all([read(stack.lab.apic.url), read(stack.lab.kubernetes.httpUrl)]);
        return { apic, kubernetes };
      }
      case 'agentRestarts':
        return stack.agent?.restarts ?? 0;
      case 'serviceNowDelivery':
        return serviceNowDelivery(stack.lab, stack.endpoints.webhookSecret, request.title, request.specYaml, new Date());
      case 'close':
        await closeOnce();
        setImmediate(() => process.disconnect?.());
        return null;
    }
  };

  process.on('message', (raw: unknown) => {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'number' ? raw.id : -1;
    const parsed = StackRequest.safeParse(typeof raw === 'object' && raw !== null && 'request' in raw ? raw.request : undefined);
    if (!parsed.success) {
      send({ kind: 'reply', id, ok: false, error: `expected a stack request, found ${JSON.stringify(raw).slice(0, 200)}` });
      return;
    }
    handle(parsed.data).then(
      (value) => send({ kind: 'reply', id, ok: true, value }),
      (err: unknown) => send({ kind: 'reply', id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
  // The suite went away without closing us (killed worker): do not outlive it.
  process.on('disconnect', () => {
    void closeOnce().finally(() => process.exit(0));
  });
  send({ kind: 'ready', endpointsPath: stack.endpointsPath });
}

await main();
