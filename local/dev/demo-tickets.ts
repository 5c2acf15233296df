import { signDelivery } from '../../shared/intake/signature.js';
import type { Lab } from '../lab/index.js';

// How a demo change enters: a ticket is created in the lab ServiceNow or Jira through their APIs,
// approved, and the webhook the ticketing system would send is signed and posted to the API —
// exactly the path a real change takes.

function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/** ServiceNow's "YYYY-MM-DD HH:mm:ss" in the instance time zone (the lab runs in UTC). */
function snowTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export interface Delivery {
  readonly ticket: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export async function serviceNowDelivery(lab: Lab, secret: string, shortDescription: string, specYaml: string, now: Date): Promise<Delivery> {
  const sn = lab.servicenow;
  const created = await json(
    await fetch(`${sn.url}/api/now/table/change_request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: basic(sn.username, sn.password) },
      body: JSON.stringify({
        short_description: shortDescription,
        type: 'normal',
        state: '-1',
        approval: 'approved',
        // A person of the lab's sys_user table: notes and pages show "Jane Doe (jane.doe)", not the sys_id.
        requested_by: '5137153cc611227c000bbd1bd8cd2005',
        start_date: snowTime(new Date(now.getTime() - 3600_000)),
        end_date: snowTime(new Date(now.getTime() + 4 * 3600_000)),
        u_change_spec: specYaml,
      }),
    }),
    'create the ServiceNow change',
  );
  const record = created['result'] as Record<string, unknown>;
  const body = JSON.stringify(record);
  return { ticket: String(record['number']), path: '/webhooks/servicenow', body, headers: { 'content-type': 'application/json', ...signDelivery(secret, body, now) } };
}

export async function jiraDelivery(lab: Lab, secret: string, summary: string, specYaml: string, now: Date): Promise<Delivery> {
  const jira = lab.jira;
  const auth = basic(jira.email, jira.token);
  const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: auth };
  const created = await json(
    await fetch(`${jira.url}/rest/api/2/issue`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        fields: { project: { key: 'NETCHG' }, summary, issuetype: { name: 'Change' }, description: `Requested via the changeflow demo.\n\`\`\`yaml\n${specYaml}\`\`\`\n` },
      }),
    }),
    'create the Jira issue',
  );
  const key = String(created['key']);
  const transitions = (await json(await fetch(`${jira.url}/rest/api/2/issue/${key}/transitions`, { headers }), 'list transitions'))['transitions'] as Array<{ id: string; name: string }>;
  const approve = transitions.find((t) => t.name === 'Approve');
  if (!approve) throw new Error(`the lab Jira offers no Approve transition for ${key}`);
  await json(await fetch(`${jira.url}/rest/api/2/issue/${key}/transitions`, { method: 'POST', headers, body: JSON.stringify({ transition: { id: approve.id } }) }), 'approve');
  const hook = jira.webhookFor(key);
  const body = JSON.stringify(hook.body);
  return { ticket: key, path: '/webhooks/jira', body, headers: { ...hook.headers, 'content-type': 'application/json', ...signDelivery(secret, body, now) } };
}
