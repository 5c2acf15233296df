import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowLab, type ServiceNowLab } from '../../../local/lab/servicenow/server.js';

let lab: ServiceNowLab;
let auth: string;

beforeAll(async () => {
  lab = await startServiceNowLab();
  auth = `Basic ${Buffer.from(`${lab.username}:${lab.password}`).toString('base64')}`;
});
afterAll(async () => {
  await lab.close();
});

async function api(method: string, path: string, body?: unknown, authorization = auth) {
  const res = await fetch(`${lab.url}${path}`, {
    method,
    headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, reason: res.headers.get('x-lab-reason'), json: (text ? JSON.parse(text) : undefined) as { result: Record<string, unknown> & Array<Record<string, unknown>>; error?: unknown; status?: string } };
}

async function createChange(fields: Record<string, unknown> = {}) {
  const created = await api('POST', '/api/now/table/change_request', { short_description: 'lab change', state: '-1', approval: 'approved', ...fields });
  expect(created.status).toBe(201);
  return created.json.result;
}

describe('ServiceNow lab Table API', () => {
  it('refuses requests without valid basic auth like a real instance', async () => {
    const res = await api('GET', '/api/now/table/change_request', undefined, 'Basic Zm9vOmJhcg==');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' });
  });

  it('creates a change_request with a CHG number, sys_mod_count 0 and reference fields as {link, value}', async () => {
    const record = await createChange({ requested_by: '6816f79cc0a8016401c5a33be04be441' });
    expect(record).toMatchObject({ number: expect.stringMatching(/^CHG\d{7}$/), sys_id: expect.stringMatching(/^[0-9a-f]{32}$/), sys_mod_count: '0', state: '-1', type: 'normal' });
    expect(record.requested_by).toEqual({ link: `${lab.url}/api/now/table/sys_user/6816f79cc0a8016401c5a33be04be441`, value: '6816f79cc0a8016401c5a33be04be441' });
  });

  it('finds a record by number with sysparm_query and trims it with sysparm_fields', async () => {
    const record = await createChange();
    const res = await api('GET', `/api/now/table/change_request?sysparm_query=number=${record.number}&sysparm_fields=sys_id,state`);
    expect(res.json.result).toEqual([{ sys_id: record.sys_id, state: '-1' }]);
  });

  it('keeps work notes in the journal, shows them empty on the record and counts each update', async () => {
    const record = await createChange();
    await api('PATCH', `/api/now/table/change_request/${record.sys_id}`, { work_notes: 'first' });
    const second = await api('PATCH', `/api/now/table/change_request/${record.sys_id}`, { work_notes: 'second' });
    expect(second.json.result).toMatchObject({ work_notes: '', sys_mod_count: '2' });
    const journal = await api('GET', `/api/now/table/sys_journal_field?sysparm_query=element_id=${record.sys_id}^element=work_notes`);
    expect(journal.json.result.map((j) => j.value)).toEqual(['first', 'second']);
  });

  it('refuses a jump from Implement (-1) to Closed (3) with the business-rule abort of a real instance', async () => {
    const record = await createChange();
    const res = await api('PATCH', `/api/now/table/change_request/${record.sys_id}`, { state: '3', close_code: 'successful', close_notes: 'done' });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      error: {
        message: 'Operation Failed',
        detail: `Operation against file 'change_request' was aborted by Business Rule 'State model - Can change state?^${record.sys_id}'. Business Rule Stack:State model - Can change state?`,
      },
      status: 'failure',
    });
    expect(res.reason).toBe('the change_request state model does not allow -1 -> 3');
    expect(lab.records.get(record.sys_id as string)).toMatchObject({ state: '-1', sys_mod_count: '0' });
  });

  it.each([
    ['normal', '-5', '-4', 200],
    ['normal', '-5', '-2', 403],
    ['standard', '-5', '-2', 200],
    ['standard', '-5', '-4', 403],
    ['emergency', '-5', '-3', 200],
    ['normal', '-3', '-5', 200],
    ['normal', '-2', '-1', 200],
    ['normal', '-1', '0', 200],
    ['normal', '-1', '4', 200],
    ['normal', '0', '4', 403],
    ['normal', '0', '-1', 403],
    ['normal', '4', '-1', 403],
  ])('a %s change moves %s → %s with HTTP %i', async (type, from, to, status) => {
    const record = await createChange({ type, state: from });
    expect((await api('PATCH', `/api/now/table/change_request/${record.sys_id}`, { state: to })).status).toBe(status);
  });

  it('closes from Review only with close_code and close_notes', async () => {
    const record = await createChange({ state: '0' });
    const bare = await api('PATCH', `/api/now/table/change_request/${record.sys_id}`, { state: '3' });
    expect(bare.status).toBe(403);
    expect(bare.json.error).toMatchObject({ detail: expect.stringContaining('The following fields are mandatory: Close code, Close notes') });
    const bad = await api('PATCH', `/api/now/table/change_request/${record.sys_id}`, { state: '3', close_code: 'kinda', close_notes: 'x' });
    expect(bad.status).toBe(403);
    const ok = await api('PATCH', `/api/now/table/change_request/${record.sys_id}`, { state: '3', close_code: 'successful', close_notes: 'applied and verified' });
    expect(ok.json.result).toMatchObject({ state: '3', active: 'false', close_code: 'successful' });
  });

  it('answers 404 with the real body for an unknown sys_id and 400 for an unknown table', async () => {
    const missing = await api('GET', `/api/now/table/change_request/${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { message: 'No Record found' }, status: 'failure' });
    expect((await api('GET', '/api/now/table/incidentz')).status).toBe(400);
  });

  it('fails every Table API call with 500 under servicenow.any=http500, and counts requests', async () => {
    const record = await createChange();
    await fetch(`${lab.url}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults: ['servicenow.any=http500'] }) });
    await fetch(`${lab.url}/_lab/stats/reset`, { method: 'POST' });
    const res = await api('PATCH', `/api/now/table/change_request/${record.sys_id}`, { work_notes: 'lost' });
    expect(res.status).toBe(500);
    expect(res.json.status).toBe('failure');
    await fetch(`${lab.url}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults: [] }) });
    expect(await (await fetch(`${lab.url}/_lab/stats`)).json()).toEqual({ requests: { total: 1, byMethod: { PATCH: 1 } } });
    expect(lab.records.journalFor(record.sys_id as string)).toEqual([]);
  });

  it('dumps records by number with their journal and without timestamps, canonically', async () => {
    const record = await createChange({ number: 'CHG0099001', sys_id: 'ab'.repeat(16), work_notes: 'created by test' });
    const text = await (await fetch(`${lab.url}/_lab/dump`)).text();
    const dump = JSON.parse(text) as { change_request: Record<string, Record<string, unknown>> };
    expect(dump.change_request.CHG0099001).toMatchObject({ sys_id: record.sys_id, journal: [{ element: 'work_notes', value: 'created by test', by: lab.username }] });
    expect(dump.change_request.CHG0099001).not.toHaveProperty('sys_updated_on');
    expect(text).toBe(await (await fetch(`${lab.url}/_lab/dump`)).text());
    expect(Object.keys(dump.change_request.CHG0099001!)).toEqual([...Object.keys(dump.change_request.CHG0099001!)].sort());
  });
});
