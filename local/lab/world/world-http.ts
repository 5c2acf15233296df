import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectivityRequest } from './connectivity-suite.js';
import { handleSideDoor, readBody } from '../side-door.js';
import type { World } from './world.js';

// The world's side door for the lab `cilium` executable, which runs in its own process:
//   GET  /world/sessions      → {sessions}: every node↔anchor session with both sides' state
//   POST /world/connectivity  → Suite: one connectivity-test run ({namespace?} in the body)
//   GET  /world/agents        → {agents}: the cilium-config each node's agent started with
// plus the shared /_lab/ routes (dump = the sessions, faults bgp.* / cilium.*, stats).

export interface WorldServer {
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function route(world: Omit<World, 'url' | 'close'>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://world').pathname;
  if (await handleSideDoor(req, res, path, { dump: () => ({ sessions: world.sessions() }), faults: world.faults, stats: world.stats })) return;
  world.stats.count(req.method ?? 'GET');
  const key = `${req.method ?? 'GET'} ${path}`;
  if (key === 'GET /healthz') return send(res, 200, { ok: true });
  if (key === 'GET /world/sessions') return send(res, 200, { sessions: world.sessions() });
  if (key === 'GET /world/agents') return send(res, 200, { agents: world.agents() });
  if (key === 'POST /world/connectivity') {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    } catch (err) {
      return send(res, 400, { error: { code: 'InvalidInput', message: `expected a JSON body {namespace?}; ${(err as Error).message}` } });
    }
    const parsed = ConnectivityRequest.safeParse(body);
    if (!parsed.success) return send(res, 400, { error: { code: 'InvalidInput', message: parsed.error.message } });
    return send(res, 200, world.connectivity(parsed.data));
  }
  send(res, 404, { error: { code: 'NotFound', message: `no world route ${key}; try GET /world/sessions or POST /world/connectivity` } });
}

export async function serveWorld(world: Omit<World, 'url' | 'close'>, port: number): Promise<WorldServer> {
  const server = createServer((req, res) => {
    route(world, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'InternalError', message: `lab world error: ${(err as Error).message}` } });
      else res.destroy(err as Error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
