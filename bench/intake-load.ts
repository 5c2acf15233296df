import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Agent, request as httpRequest } from 'node:http';
import * as z from '../shared/zod.js';
import { systemClock } from '../shared/runtime/clock.js';

// The open-loop load generator of the intake bench, in its own process so that its event loop
// never shares a core with the server it measures. Request i is due at start + i / rate; it is
// sent when due whether or not earlier ones have answered, and its latency counts from when it
// was due (so a stalled server cannot hide its queueing by slowing the sender down).
//
// Usage: node bin/run-ts.mjs bench/intake-load.ts PLAN.json  → one JSON line on stdout.

export const LoadPlan = z.object({
  url: z.string(),
  rate: z.number().check(z.positive()),
  requests: z.array(z.object({ kind: z.string(), path: z.string(), headers: z.record(z.string(), z.string()), body: z.string() })),
});
export type LoadPlan = z.infer<typeof LoadPlan>;

export const LoadResult = z.object({
  kind: z.string(),
  status: z.number(),
  /** Due time → answer read, in ms. */
  latencyMs: z.number(),
  /** How late the send was against its due time (the generator's own lag). */
  sendLagMs: z.number(),
  doneAtMs: z.number(),
  error: z.optional(z.string()),
});
export const LoadReport = z.object({ results: z.array(LoadResult), wallMs: z.number() });
export type LoadReport = z.infer<typeof LoadReport>;

async function main(planPath: string): Promise<void> {
  const plan = LoadPlan.parse(JSON.parse(await readFile(planPath, 'utf8')));
  // Keep-alive sockets, as a ticketing system's HTTP client keeps them; no cap, so a slow answer
  // never holds back a due request (a new socket opens instead).
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const intervalMs = 1000 / plan.rate;
  const results: Array<z.infer<typeof LoadResult>> = [];
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now() + 50;
  for (const [i, request] of plan.requests.entries()) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await systemClock.sleep(wait);
    const sentAt = performance.now();
    inFlight.push(
      post(agent, `${plan.url}${request.path}`, request.headers, request.body).then(
        (status) => {
          const now = performance.now();
          results.push({ kind: request.kind, status, latencyMs: now - due, sendLagMs: sentAt - due, doneAtMs: now - start });
        },
        (err: unknown) => {
          const now = performance.now();
          results.push({ kind: request.kind, status: 0, latencyMs: now - due, sendLagMs: sentAt - due, doneAtMs: now - start, error: (err as Error).message });
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const report: LoadReport = { results, wallMs: performance.now() - start };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  agent.destroy();
}

/** POSTs and reads the whole answer; resolves with the status code. */
function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const planPath = process.argv[2];
if (planPath && process.argv[1]?.endsWith('intake-load.ts')) await main(planPath);
