import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startJiraLab, type JiraLab } from '../../../local/lab/jira/server.js';
import { JiraTicketWriter } from '../../../shared/tickets/jira.js';
import { evaluateDelivery } from '../../../shared/intake/intake.js';
import { signDelivery } from '../../../shared/intake/signature.js';
import type { TicketRef } from '../../../shared/spec/change-request.js';

let lab: JiraLab;
let writer: JiraTicketWriter;
let auth: string;

const spec = [
  'apiVersion: changeflow/v1',
  'kind: ChangeSpec',
  'target: { site: dc1, fabric: dc1-aci, cluster: prod-a }',
  'aci: { tenant: k8s-prod-a, vrf: vrf-1, l3out: prod-a-l3out, physDomain: k8s-phys, fabricAsn: 65001 }',
  'changes:',
  '  - { type: loadBalancerPool, name: pool-blue, blocks: ["10.0.11.0/25"], serviceSelector: { color: blue }, externalEpg: default_svc }',
].join('\n');

beforeAll(async () => {
  lab = await startJiraLab();
  auth = `Basic ${Buffer.from(`${lab.email}:${lab.token}`).toString('base64')}`;
  writer = new JiraTicketWriter({ url: lab.url, email: lab.email, token: lab.token, http: { fetch, retry: { maxAttempts: 3, baseDelayMs: 5 } } });
});
afterAll(async () => {
  await lab.close();
});
beforeEach(() => {
  lab.faults.clear();
  lab.stats.reset();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${lab.url}${path}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function approvedIssue(): Promise<TicketRef> {
  const created = await api('POST', '/rest/api/2/issue', {
    fields: { project: { key: 'NETCHG' }, summary: 'Add pool-blue', issuetype: { name: 'Change' }, description: `Please run.\n\`\`\`yaml\n${spec}\n\`\`\`\n` },
  });
  expect(created.status).toBe(201);
  const key = created.json.key as string;
  const approve = await api('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } });
  expect(approve.status).toBe(204);
  return { system: 'jira', key, number: key };
}

describe('Jira lab', () => {
  it('refuses a wrong API token with 401', async () => {
    const res = await fetch(`${lab.url}/rest/api/3/issue/NETCHG-1`, { headers: { authorization: 'Basic eDp5' } });
    expect(res.status).toBe(401);
  });

  it('lists transitions from the current status in the real shape and refuses one that is not available', async () => {
    const ticket = await approvedIssue();
    const res = await api('GET', `/rest/api/3/issue/${ticket.key}/transitions`);
    const transitions = res.json.transitions as Array<{ id: string; name: string; to: { name: string } }>;
    expect(transitions.map((t) => [t.id, t.name, t.to.name])).toEqual([
      ['21', 'Implement', 'Implementing'],
      ['31', 'Done', 'Done'],
      ['41', 'Failed', 'Failed'],
    ]);
    const bad = await api('POST', `/rest/api/3/issue/${ticket.key}/transitions`, { transition: { id: '11' } });
    expect(bad).toEqual({ status: 400, json: { errorMessages: ["Transition id '11' is not valid for this issue."], errors: {} } });
  });

  it('refuses a plain-string comment on v3 like Jira Cloud does', async () => {
    const ticket = await approvedIssue();
    const res = await api('POST', `/rest/api/3/issue/${ticket.key}/comment`, { body: 'plain' });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({ comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
  });

  it('produces the webhook of the approval, which intake accepts', async () => {
    const ticket = await approvedIssue();
    const hook = lab.webhookFor(ticket.key!);
    const rawBody = JSON.stringify(hook.body);
    const now = new Date();
    const verdict = evaluateDelivery({
      system: 'jira',
      rawBody,
      headers: { 'content-type': 'application/json', ...hook.headers, ...signDelivery('s3cret', rawBody, now) },
      config: { secret: 's3cret' },
      now,
    });
    // The delivery key comes from signed content (issue id + changelog id), never from the
    // unsigned X-Atlassian-Webhook-Identifier header, so a replay with a fresh header is a duplicate.
    const body = hook.body as { issue: { id: string }; changelog: { id: string } };
    expect(verdict).toMatchObject({ kind: 'accepted', deliveryKey: `jira:${body.issue.id}:${body.changelog.id}`, request: { ticket: { key: ticket.key } } });
  });
});

describe('Jira write-back against the lab', () => {
  it('adds an ADF comment per note', async () => {
    const ticket = await approvedIssue();
    await writer.note(ticket, 'accepted', '[changeflow] Change accepted.\nchange chg-1');
    await writer.note(ticket, 'plan', '[changeflow] Plan ready.\n\nPlan: 1 to add, 0 to change, 0 to destroy.');
    const comments = (await api('GET', `/rest/api/3/issue/${ticket.key}/comment`)).json.comments as Array<{ body: unknown }>;
    expect(comments.map((c) => c.body)).toEqual([
      { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '[changeflow] Change accepted.' }, { type: 'hardBreak' }, { type: 'text', text: 'change chg-1' }] }] },
      {
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: '[changeflow] Plan ready.' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'Plan: 1 to add, 0 to change, 0 to destroy.' }] },
        ],
      },
    ]);
  });

  it('closes a successful change with a comment and the Done transition', async () => {
    const ticket = await approvedIssue();
    await writer.close(ticket, 'successful', 'Applied and verified.');
    const dump = lab.dump() as { issues: Record<string, { status: string; comments: unknown[]; transitions: Array<{ to: string }> }> };
    const issue = dump.issues[ticket.key!]!;
    expect(issue.status).toBe('Done');
    expect(issue.comments).toHaveLength(1);
    expect(issue.transitions.map((t) => t.to)).toEqual(['Approved', 'Done']);
  });

  it('closes an unsuccessful change with the Failed transition, and a repeated close is harmless', async () => {
    const ticket = await approvedIssue();
    await writer.close(ticket, 'unsuccessful', 'Rolled back.');
    await writer.close(ticket, 'unsuccessful', 'Rolled back.');
    expect(lab.issues.get(ticket.key!).status).toBe('Failed');
  });

  it('uses configured transition names and says which exist when none matches', async () => {
    const ticket = await approvedIssue();
    const custom = new JiraTicketWriter({ url: lab.url, email: lab.email, token: lab.token, http: { fetch }, doneTransition: 'Complete' });
    await expect(custom.close(ticket, 'successful', 'x')).rejects.toMatchObject({
      name: 'TicketWriteFailed',
      message: expect.stringMatching(/no transition "Complete" from status "Approved".*available: Implement, Done, Failed/),
    });
  });

  it('under jira.any=http500 retries, then throws TicketWriteFailed', async () => {
    const ticket = await approvedIssue();
    lab.stats.reset();
    lab.faults.add('jira.any=http500');
    await expect(writer.note(ticket, 'accepted', 'x')).rejects.toMatchObject({ name: 'TicketWriteFailed', detail: { system: 'jira', attempts: 3, status: 500 } });
    expect(lab.stats.total).toBe(3);
    lab.faults.clear();
    expect(lab.issues.get(ticket.key!).comments).toEqual([]);
  });
});
