import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultBook, type FaultSpec } from '../faults.js';
import { handleSideDoor, readBody, RequestStats } from '../side-door.js';
import { IssueStore } from './issues.js';
import { JiraLabError, jiraErrors } from './jira-error.js';
import { routeJiraApi, type JiraContext } from './rest-api.js';
import { webhookForLastTransition, type LabWebhook } from './webhook.js';
import { Workflow } from './workflow.js';

// A Jira Cloud site for the lab: issues, comments and transitions over REST v2/v3, basic auth
// with email:API token, the /_lab/ side door and the fault `jira.any=http500` (also http503 and
// `down`, which drops the connection).

export interface JiraLabOptions {
  port?: number;
  email?: string;
  token?: string;
  faults?: ReadonlyArray<FaultSpec | string>;
  /** Name of the workflow's approved status (intake's `jiraApprovedStatus`). */
  approvedStatus?: string;
}

export interface JiraLab {
  url: string;
  email: string;
  token: string;
  issues: IssueStore;
  faults: FaultBook;
  stats: RequestStats;
  /** The webhook Jira would send for the issue's latest status change. */
  webhookFor(key: string): LabWebhook;
  dump(): unknown;
  close(): Promise<void>;
}

export async function startJiraLab(options: JiraLabOptions = {}): Promise<JiraLab> {
  const email = options.email ?? 'changeflow@lab.example';
  const token = options.token ?? 'lab-jira-api-token';
  const workflow = new Workflow(options.approvedStatus);
  const issues = new IssueStore(workflow);
  const faults = new FaultBook(options.faults ?? []);
  const stats = new RequestStats();
  const user = { accountId: '5b10a2844c20165700ede21g', emailAddress: email, displayName: 'changeflow' };
  const ctx: JiraContext = { issues, workflow, baseUrl: '', user };
  const door = { faults, stats, dump: () => dumpOf(issues) };
  const expectedAuth = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => reply(res, 500, { errorMessages: [`lab error: ${(err as Error).message}`], errors: {} }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', ctx.baseUrl);
    // The webhook Jira would send for an issue's latest status change, for `changeflow submit`
    // of a Jira example against the lab (it creates and approves the issue over REST first).
    const webhook = /^\/_lab\/webhook\/([A-Z][A-Z0-9]*-\d+)$/.exec(url.pathname);
    if (webhook?.[1] && req.method === 'GET') {
      const key = webhook[1];
      const known = issues.has(key);
      reply(res, known ? 200 : 404, known ? webhookForLastTransition(issues, workflow, key, user, new Date()) : { errorMessages: [`no issue ${key}`], errors: {} });
      return;
    }
    if (await handleSideDoor(req, res, url.pathname, door)) return;
    const method = req.method ?? 'GET';
    stats.count(method);
    const fault = faults.take('jira', method.toLowerCase());
    if (fault === 'down') {
      req.socket.destroy();
      return;
    }
    try {
      if (fault === 'http500' || fault === 'http503') throw jiraErrors.fault(fault === 'http500' ? 500 : 503);
      if (req.headers.authorization !== expectedAuth) throw jiraErrors.notAuthenticated();
      const text = await readBody(req);
      let body: unknown;
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch (err) {
        throw jiraErrors.badJson((err as Error).message);
      }
      const answer = routeJiraApi(ctx, method, url, body);
      reply(res, answer.status, answer.body);
    } catch (err) {
      if (!(err instanceof JiraLabError)) throw err;
      reply(res, err.httpStatus, err.body());
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  ctx.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: ctx.baseUrl,
    email,
    token,
    issues,
    faults,
    stats,
    webhookFor: (key) => webhookForLastTransition(issues, workflow, key, user, new Date()),
    dump: door.dump,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Issues keyed by key with status, comments and status history; timestamps left out. */
function dumpOf(issues: IssueStore): unknown {
  const out: Record<string, unknown> = {};
  for (const issue of issues.all()) {
    out[issue.key] = {
      id: issue.id,
      status: issue.status,
      fields: issue.fields,
      comments: issue.comments.map((c) => ({ author: c.author, body: c.body })),
      transitions: issue.history.map((h) => ({ from: h.from, to: h.to, by: h.by })),
    };
  }
  return { issues: out };
}
