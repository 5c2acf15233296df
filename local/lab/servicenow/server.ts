import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultBook, type FaultSpec } from '../faults.js';
import { handleSideDoor, readBody, RequestStats } from '../side-door.js';
import { ChangeRequestTable, volatileFields } from './change-requests.js';
import { routeTableApi } from './table-api.js';
import { TableApiError, tableErrors } from './table-error.js';

// A ServiceNow instance for the lab: the Table API subset over change_request with the state
// model, basic auth, the /_lab/ side door and the fault `servicenow.any=http500` (also http503
// and `down`, which drops the connection).

export interface ServiceNowLabOptions {
  port?: number;
  username?: string;
  password?: string;
  faults?: ReadonlyArray<FaultSpec | string>;
}

export interface ServiceNowLab {
  url: string;
  username: string;
  password: string;
  records: ChangeRequestTable;
  faults: FaultBook;
  stats: RequestStats;
  dump(): unknown;
  close(): Promise<void>;
}

export async function startServiceNowLab(options: ServiceNowLabOptions = {}): Promise<ServiceNowLab> {
  const username = options.username ?? 'changeflow.integration';
  const password = options.password ?? 'lab-servicenow-password';
  const records = new ChangeRequestTable(username);
  const faults = new FaultBook(options.faults ?? []);
  const stats = new RequestStats();
  const door = { faults, stats, dump: () => dumpOf(records) };
  const expectedAuth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let baseUrl = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => reply(res, 500, tableErrors.badRequest('Internal lab error', (err as Error).message).body()));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    if (await handleSideDoor(req, res, url.pathname, door)) return;
    const method = req.method ?? 'GET';
    stats.count(method);
    const fault = faults.take('servicenow', method.toLowerCase());
    if (fault === 'down') {
      req.socket.destroy();
      return;
    }
    try {
      if (fault === 'http500' || fault === 'http503') throw tableErrors.fault(fault === 'http500' ? 500 : 503);
      if (req.headers.authorization !== expectedAuth) throw tableErrors.notAuthenticated();
      const text = await readBody(req);
      let body: unknown;
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch (err) {
        throw tableErrors.badRequest('Exception while reading request', `The payload is not valid JSON. ${(err as Error).message}`);
      }
      const answer = routeTableApi(records, method, url, body, baseUrl);
      reply(res, answer.status, answer.body);
    } catch (err) {
      if (!(err instanceof TableApiError)) throw err;
      reply(res, err.httpStatus, err.body(), err.reason);
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    username,
    password,
    records,
    faults,
    stats,
    dump: door.dump,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown, reason?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json;charset=UTF-8' };
  // Header values must be latin-1; keep the lab's explanation readable but safe.
  if (reason) headers['x-lab-reason'] = reason.replace(/[^\x20-\x7e]/g, '?');
  res.writeHead(status, headers);
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Records keyed by number, each with its journal, timestamps left out (docs/architecture.md §3.5). */
function dumpOf(records: ChangeRequestTable): unknown {
  const changeRequests: Record<string, unknown> = {};
  for (const row of records.all()) {
    const stable = Object.fromEntries(Object.entries(row).filter(([k]) => !(volatileFields as readonly string[]).includes(k)));
    changeRequests[row.number ?? row.sys_id ?? ''] = {
      ...stable,
      journal: records.journalFor(row.sys_id).map((j) => ({ element: j.element, value: j.value, by: j.sys_created_by })),
    };
  }
  return { change_request: changeRequests };
}
