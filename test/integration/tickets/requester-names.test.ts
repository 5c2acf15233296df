import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraLab, type JiraLab } from '../../../local/lab/jira/server.js';
import { startServiceNowLab, type ServiceNowLab } from '../../../local/lab/servicenow/server.js';
import { jiraPeople, serviceNowPeople } from '../../../shared/tickets/people.js';

// Issue 19 item 14: requester names instead of raw ids — the ServiceNow sys_user read through the
// Table API and the Jira accountId through /rest/api/3/user, against the lab emulators, cached.

let snow: ServiceNowLab;
let jira: JiraLab;

beforeAll(async () => {
  [snow, jira] = await Promise.all([startServiceNowLab(), startJiraLab()]);
});
afterAll(async () => {
  await Promise.all([snow?.close(), jira?.close()]);
});

const gets = async (lab: { url: string }) => ((await (await fetch(`${lab.url}/_lab/stats`)).json()) as { requests: { byMethod: Record<string, number> } }).requests.byMethod['GET'] ?? 0;

describe('requester names', () => {
  it('reads a ServiceNow requested_by sys_id as "Name (user_name)", once per container', async () => {
    const people = serviceNowPeople({ url: snow.url, username: snow.username, password: snow.password, http: { fetch } });
    const before = await gets(snow);
    expect(await people.nameOf('5137153cc611227c000bbd1bd8cd2005')).toBe('Jane Doe (jane.doe)');
    expect(await people.nameOf('5137153cc611227c000bbd1bd8cd2005')).toBe('Jane Doe (jane.doe)');
    expect(await people.nameOf('6816f79cc0a8016401c5a33be04be441')).toBe('System Administrator (admin)');
    expect((await gets(snow)) - before).toBe(2);
    // The instance has no such user (404): no name, the caller keeps the id. A user name is not looked up.
    expect(await people.nameOf('0'.repeat(32))).toBeUndefined();
    expect(await people.nameOf('jane.doe')).toBeUndefined();
  });

  it('refuses writes to sys_user in the lab, as the integration user\'s ACLs do', async () => {
    const res = await fetch(`${snow.url}/api/now/table/sys_user/5137153cc611227c000bbd1bd8cd2005`, {
      method: 'PATCH',
      headers: { authorization: `Basic ${Buffer.from(`${snow.username}:${snow.password}`).toString('base64')}`, 'content-type': 'application/json' },
      body: '{"name":"x"}',
    });
    expect(res.status).toBe(400);
  });

  it('reads a Jira accountId as its displayName; an unknown account has none', async () => {
    const people = jiraPeople({ url: jira.url, email: jira.email, token: jira.token, http: { fetch } });
    expect(await people.nameOf('5b10ac8d82e05b22cc7d4ef5')).toBe('Change Manager');
    expect(await people.nameOf('5b10ac8d82e05b22cc7d4ef6')).toBeUndefined();
    expect(await people.nameOf('Change Manager')).toBeUndefined();
  });
});
