import * as z from '../shared/zod.js';
import { JiraEndpoint, ServiceNowEndpoint } from '../shared/stack-endpoints.js';

// `changeflow submit examples/jira-approved.json` against `changeflow dev`: the lab's ServiceNow
// and Jira start empty, so the ticket a shipped example names does not exist there, and the
// workflow's re-check and write-back would find nothing. When endpoints.json names a lab and the
// ticket is missing, the ticket is created and approved through the lab's own REST API first and
// the webhook is sent for it — the path a real ticket takes. Real instances are never touched.

export type LabTicket = { created: false } | { created: true; ticket: string; body: string; headers: Record<string, string> };

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!res.ok) throw new Error(`lab ${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const SnowDoc = z.looseObject({ sys_id: z.optional(z.string()), number: z.optional(z.string()) });
const JiraDoc = z.looseObject({
  issue: z.looseObject({ key: z.string(), fields: z.looseObject({ summary: z.optional(z.string()), description: z.optional(z.unknown()), issuetype: z.optional(z.unknown()) }) }),
});

export async function ensureLabTicket(kind: 'servicenow' | 'jira', doc: Record<string, unknown>, endpoints: Record<string, unknown> | undefined): Promise<LabTicket> {
  if (kind === 'servicenow') {
    const lab = ServiceNowEndpoint.safeParse(endpoints?.['servicenow']);
    const ticket = SnowDoc.safeParse(doc);
    if (!lab.success || !ticket.success) return { created: false };
    const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: basic(lab.data.username, lab.data.password) };
    if (ticket.data.sys_id) {
      const found = await fetch(`${lab.data.url}/api/now/table/change_request/${encodeURIComponent(ticket.data.sys_id)}`, { headers });
      await found.arrayBuffer();
      if (found.ok) return { created: false };
    }
    const { sys_id: _id, number: _number, sys_mod_count: _count, ...fields } = doc;
    const created = await json(await fetch(`${lab.data.url}/api/now/table/change_request`, { method: 'POST', headers, body: JSON.stringify(fields) }), 'create the ServiceNow change');
    const record = z.looseObject({ number: z.string() }).parse(created['result']);
    return { created: true, ticket: record.number, body: JSON.stringify(record), headers: {} };
  }
  const lab = JiraEndpoint.safeParse(endpoints?.['jira']);
  const hook = JiraDoc.safeParse(doc);
  if (!lab.success || !hook.success) return { created: false };
  const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: basic(lab.data.email, lab.data.token) };
  const found = await fetch(`${lab.data.url}/rest/api/2/issue/${encodeURIComponent(hook.data.issue.key)}`, { headers });
  await found.arrayBuffer();
  if (found.ok) return { created: false };
  const { summary, description, issuetype } = hook.data.issue.fields;
  const project = hook.data.issue.key.split('-')[0];
  const created = await json(
    await fetch(`${lab.data.url}/rest/api/2/issue`, { method: 'POST', headers, body: JSON.stringify({ fields: { project: { key: project }, summary, description, issuetype: issuetype ?? { name: 'Change' } } }) }),
    'create the Jira issue',
  );
  const key = String(created['key']);
  const transitions = z.object({ transitions: z.array(z.object({ id: z.string(), name: z.string() })) }).parse(await json(await fetch(`${lab.data.url}/rest/api/2/issue/${key}/transitions`, { headers }), 'list transitions'));
  const approve = transitions.transitions.find((t) => t.name === 'Approve');
  if (!approve) throw new Error(`the lab Jira offers no Approve transition for ${key}`);
  await json(await fetch(`${lab.data.url}/rest/api/2/issue/${key}/transitions`, { method: 'POST', headers, body: JSON.stringify({ transition: { id: approve.id } }) }), 'approve');
  const webhook = z.object({ headers: z.record(z.string(), z.string()), body: z.record(z.string(), z.unknown()) }).parse(await json(await fetch(`${lab.data.url}/_lab/webhook/${key}`), 'webhook'));
  return { created: true, ticket: key, body: JSON.stringify(webhook.body), headers: webhook.headers };
}
