import * as z from '../../shared/zod.js';
import type { E2eStack, Submitted } from './e2e-stack.js';

// What an e2e test reads back from the lab, over the wire and the way an operator would: the APIC
// REST API with a session cookie, the Kubernetes API with the bearer token, the ServiceNow Table
// API and the Jira REST API, and the /_lab/dump side doors for byte-for-byte comparisons.

const Mo = z.object({ attributes: z.record(z.string(), z.string()), children: z.optional(z.array(z.record(z.string(), z.unknown()))) });
const Imdata = z.object({ imdata: z.array(z.record(z.string(), Mo)) });

export interface FlatMo {
  readonly cls: string;
  readonly attributes: Record<string, string>;
}

/** Every MO of an imdata answer, subtrees flattened (rsp-subtree=full nests children). */
export function flattenImdata(body: unknown): FlatMo[] {
  const out: FlatMo[] = [];
  const walk = (entry: Record<string, unknown>) => {
    for (const [cls, raw] of Object.entries(entry)) {
      const mo = Mo.parse(raw);
      out.push({ cls, attributes: mo.attributes });
      for (const child of mo.children ?? []) walk(child);
    }
  };
  for (const entry of Imdata.parse(body).imdata) walk(entry);
  return out;
}

const Login = z.object({ imdata: z.array(z.object({ aaaLogin: z.object({ attributes: z.object({ token: z.string() }) }) })).check(z.length(1)) });

/** GET on the APIC REST API (`/api/mo/…json?…`), logged in as the lab admin; MOs flattened. */
export async function apicGet(e2e: E2eStack, path: string): Promise<FlatMo[]> {
  const { url, username, password } = e2e.stack.endpoints.apic;
  const login = await fetch(`${url}/api/aaaLogin.json`, { method: 'POST', body: JSON.stringify({ aaaUser: { attributes: { name: username, pwd: password } } }) });
  const token = Login.parse(await login.json()).imdata[0]?.aaaLogin.attributes.token;
  const res = await fetch(`${url}${path}`, { headers: { cookie: `APIC-cookie=${token}` } });
  if (!res.ok) throw new Error(`APIC GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return flattenImdata(await res.json());
}

export const KubeObject = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.optional(z.string()), annotations: z.optional(z.record(z.string(), z.string())) }),
  spec: z.optional(z.unknown()),
  status: z.optional(z.unknown()),
  data: z.optional(z.record(z.string(), z.string())),
});
export type KubeObject = z.infer<typeof KubeObject>;
const KubeList = z.object({ items: z.array(KubeObject) });

async function kubeFetch(e2e: E2eStack, path: string): Promise<Response> {
  const { url, token } = e2e.stack.endpoints.kubernetes;
  return fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
}

/** One object, or undefined on 404. */
export async function kubeGet(e2e: E2eStack, path: string): Promise<KubeObject | undefined> {
  const res = await kubeFetch(e2e, path);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`Kubernetes GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return KubeObject.parse(await res.json());
}

export async function kubeList(e2e: E2eStack, path: string): Promise<KubeObject[]> {
  const res = await kubeFetch(e2e, path);
  if (!res.ok) throw new Error(`Kubernetes GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return KubeList.parse(await res.json()).items;
}

export interface LabDumps {
  readonly apic: string;
  readonly kubernetes: string;
}

/** Canonical configuration state of both sides (docs/architecture.md §3.5), for "before" vs "after" checks. */
export async function labDumps(e2e: E2eStack): Promise<LabDumps> {
  const { lab } = e2e.stack;
  await lab.kubernetes.settle();
  const [apic, kubernetes] = await Promise.all([fetch(`${lab.apic.url}/_lab/dump`).then((r) => r.text()), fetch(`${lab.kubernetes.httpUrl}/_lab/dump`).then((r) => r.text())]);
  return { apic, kubernetes };
}

export interface TicketWriteBack {
  /** The notes (ServiceNow work notes, Jira comments) as plain text, oldest first. */
  readonly notes: string[];
  /** ServiceNow `state/close_code`, Jira status name. */
  readonly closure: string;
}

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
const Journal = z.object({ result: z.array(z.object({ value: z.string(), sys_created_on: z.string() })) });
const SnowRecord = z.object({ result: z.object({ state: z.string(), close_code: z.string() }) });
const JiraComments = z.object({ comments: z.array(z.object({ body: z.unknown() })) });
const JiraIssue = z.object({ fields: z.object({ status: z.object({ name: z.string() }) }) });

/** All text of an Atlassian Document Format node, hard breaks as newlines. */
function adfText(node: unknown): string {
  const parsed = z.object({ type: z.string(), text: z.optional(z.string()), content: z.optional(z.array(z.unknown())) }).safeParse(node);
  if (!parsed.success) return typeof node === 'string' ? node : '';
  if (parsed.data.type === 'hardBreak') return '\n';
  return (parsed.data.text ?? '') + (parsed.data.content ?? []).map(adfText).join('');
}

/** What changeflow wrote back to the ticket, read through the ticketing system's own API. */
export async function ticketWriteBack(e2e: E2eStack, submitted: Submitted): Promise<TicketWriteBack> {
  const { servicenow, jira } = e2e.stack.endpoints;
  if (submitted.system === 'servicenow') {
    const auth = { authorization: basic(servicenow.username, servicenow.password), accept: 'application/json' };
    const query = encodeURIComponent(`element_id=${submitted.ticketId}^element=work_notes`);
    const journal = Journal.parse(await (await fetch(`${servicenow.url}/api/now/table/sys_journal_field?sysparm_query=${query}`, { headers: auth })).json());
    const record = SnowRecord.parse(await (await fetch(`${servicenow.url}/api/now/table/change_request/${submitted.ticketId}`, { headers: auth })).json());
    return { notes: journal.result.map((j) => j.value), closure: `${record.result.state}/${record.result.close_code}` };
  }
  const auth = { authorization: basic(jira.email, jira.token), accept: 'application/json' };
  const comments = JiraComments.parse(await (await fetch(`${jira.url}/rest/api/3/issue/${submitted.ticketId}/comment`, { headers: auth })).json());
  const issue = JiraIssue.parse(await (await fetch(`${jira.url}/rest/api/3/issue/${submitted.ticketId}`, { headers: auth })).json());
  return { notes: comments.comments.map((c) => adfText(c.body)), closure: issue.fields.status.name };
}
