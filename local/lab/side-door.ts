import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import * as z from '../../shared/zod.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import type { FaultBook } from './faults.js';

// Every emulator answers the same /_lab/ routes (docs/architecture.md §3.5) so tests and benchmarks can
// read state, set faults and count requests the same way everywhere.

/** One request served: when it arrived (epoch ms) and the bytes its answer put on the wire. */
export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  bytes: number;
}

/** The newest requests kept for benchmarks that split a change's traffic by workflow step. */
const logLimit = 20_000;

export class RequestStats {
  total = 0;
  byMethod: Record<string, number> = {};
  /** Bytes of the answers (headers and body) of the requests counted since the last reset. */
  bytes = 0;
  readonly log: RequestRecord[] = [];
  /** Set once a request was tracked: only then are bytes known and reported. */
  private metered = false;

  count(method: string): void {
    this.total++;
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }

  /** Counts a request and, once answered, the bytes the answer wrote to its socket. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    this.metered = true;
    this.count(method);
    const at = performance.timeOrigin + performance.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // The body as the handlers write it (watches write many chunks); headers are not counted.
    let bytes = 0;
    const count = (chunk: unknown): void => {
      if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk, 'utf8');
      else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((...args: unknown[]) => (count(args[0]), write(...args))) as ServerResponse['write'];
    res.end = ((...args: unknown[]) => (typeof args[0] === 'function' ? undefined : count(args[0]), end(...args))) as ServerResponse['end'];
    res.once('finish', () => {
      this.bytes += bytes;
      this.log.push({ at, method, path, bytes });
      if (this.log.length > logLimit) this.log.splice(0, this.log.length - logLimit);
    });
  }

  reset(): void {
    this.total = 0;
    this.byMethod = {};
    this.bytes = 0;
    this.log.length = 0;
  }

  toJSON(): { requests: { total: number; byMethod: Record<string, number> }; bytes?: { total: number } } {
    const requests = { total: this.total, byMethod: { ...this.byMethod } };
    return this.metered ? { requests, bytes: { total: this.bytes } } : { requests };
  }
}

export interface SideDoor {
  dump(): unknown;
  faults: FaultBook;
  stats: RequestStats;
}

const FaultsBody = z.object({
  faults: z._default(z.array(z.string()), []),
  replace: z._default(z.boolean(), true),
});

/** Handles /_lab/* requests; returns false when the path is not a side-door route. */
export async function handleSideDoor(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  door: SideDoor,
): Promise<boolean> {
  if (!path.startsWith('/_lab/')) return false;
  const route = `${req.method ?? 'GET'} ${path}`;
  if (route === 'GET /_lab/dump') {
    send(res, 200, canonicalJson(door.dump()));
  } else if (route === 'GET /_lab/stats') {
    send(res, 200, JSON.stringify(door.stats.toJSON()));
  } else if (route === 'POST /_lab/stats/reset') {
    door.stats.reset();
    send(res, 200, JSON.stringify(door.stats.toJSON()));
  } else if (route === 'GET /_lab/faults') {
    send(res, 200, JSON.stringify({ faults: door.faults.list() }));
  } else if (route === 'POST /_lab/faults') {
    const parsed = FaultsBody.safeParse(JSON.parse((await readBody(req)) || '{}'));
    if (!parsed.success) {
      send(res, 400, JSON.stringify({ error: { code: 'InvalidInput', message: parsed.error.message } }));
      return true;
    }
    if (parsed.data.replace) door.faults.clear();
    try {
      for (const f of parsed.data.faults) door.faults.add(f);
    } catch (err) {
      send(res, 400, JSON.stringify({ error: { code: 'InvalidInput', message: (err as Error).message } }));
      return true;
    }
    send(res, 200, JSON.stringify({ faults: door.faults.list() }));
  } else {
    send(res, 404, JSON.stringify({ error: { code: 'NotFound', message: `no lab route ${route}` } }));
  }
  return true;
}

export async function readBody(req: IncomingMessage, limitBytes = 8 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) throw new Error(`request body over ${limitBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}
