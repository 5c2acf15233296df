import { presentRow, type ChangeRequestTable, type Row } from './change-requests.js';
import { tableErrors } from './table-error.js';

// The Table API subset changeflow and its tests use: change_request CRUD with sysparm_query,
// sysparm_fields and sysparm_limit, and read access to sys_journal_field for the work notes and
// to sys_user (users.ts) for the requester's name.

export interface TableReply {
  status: number;
  body?: unknown;
}

export function routeTableApi(
  table: ChangeRequestTable,
  method: string,
  url: URL,
  body: unknown,
  baseUrl: string,
): TableReply {
  const m = /^\/api\/now\/(?:v[12]\/)?table\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
  if (!m) throw tableErrors.badRequest('Requested URI does not represent any resource', url.pathname);
  const [, name, sysId] = m;
  const fields = url.searchParams.get('sysparm_fields')?.split(',').map((f) => f.trim()).filter(Boolean);
  if (name === 'sys_journal_field' && method === 'GET' && sysId === undefined) {
    const rows = filterRows(table.journalFor() as unknown as Row[], url);
    return { status: 200, body: { result: rows.map((r) => project(r, fields)) } };
  }
  if (name === 'sys_user') {
    // Read-only, like the integration user's ACLs on a real instance.
    if (method !== 'GET') throw tableErrors.badRequest('Method not Supported', `${method} is not allowed on sys_user for this user`);
    const users = table.users as unknown as Row[];
    if (sysId === undefined) return { status: 200, body: { result: filterRows(users, url).map((r) => project(r, fields)) } };
    const user = users.find((u) => u['sys_id'] === sysId);
    if (!user) throw tableErrors.noRecord();
    return { status: 200, body: { result: project(user, fields) } };
  }
  if (name !== 'change_request') throw tableErrors.invalidTable(name ?? '');
  const show = (row: Row): Record<string, unknown> => presentRow(row, baseUrl, fields);
  if (sysId === undefined) {
    if (method === 'GET') return { status: 200, body: { result: filterRows(table.all(), url).map(show) } };
    if (method === 'POST') return { status: 201, body: { result: show(table.create(objectBody(body))) } };
    throw tableErrors.badRequest('Method not Supported', `${method} is not supported on a table`);
  }
  if (method === 'GET') {
    const row = table.get(sysId);
    if (!row) throw tableErrors.noRecord();
    return { status: 200, body: { result: show(row) } };
  }
  if (method === 'PATCH' || method === 'PUT') return { status: 200, body: { result: show(table.update(sysId, objectBody(body))) } };
  if (method === 'DELETE') {
    table.delete(sysId);
    return { status: 204 };
  }
  throw tableErrors.badRequest('Method not Supported', `${method} is not supported on a record`);
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw tableErrors.badRequest('Exception while reading request', 'The payload is not valid JSON.');
}

/** `a=b^c!=d^ORDERBYe^ORDERBYDESCf` — the encoded-query subset; other operators are refused loudly. */
function filterRows(rows: Row[], url: URL): Row[] {
  const query = url.searchParams.get('sysparm_query') ?? '';
  let out = rows;
  const order: Array<{ field: string; desc: boolean }> = [];
  for (const term of query.split('^').filter(Boolean)) {
    const orderBy = /^ORDERBY(DESC)?(\w+)$/.exec(term);
    if (orderBy) {
      order.push({ field: orderBy[2] ?? '', desc: orderBy[1] !== undefined });
      continue;
    }
    const cond = /^(\w+)(!=|=)(.*)$/.exec(term);
    if (!cond) throw tableErrors.badRequest('Invalid query', `the lab supports field=value, field!=value and ORDERBY in sysparm_query, not "${term}"`);
    const [, field = '', op, value] = cond;
    out = out.filter((r) => (op === '=' ? r[field] === value : r[field] !== value));
  }
  for (const { field, desc } of order.reverse()) {
    out = [...out].sort((a, b) => (desc ? -1 : 1) * (a[field] ?? '').localeCompare(b[field] ?? ''));
  }
  const limit = Number(url.searchParams.get('sysparm_limit') ?? NaN);
  return Number.isInteger(limit) && limit >= 0 ? out.slice(0, limit) : out;
}

function project(row: Row, fields: readonly string[] | undefined): Record<string, unknown> {
  return fields ? Object.fromEntries(Object.entries(row).filter(([k]) => fields.includes(k))) : row;
}
