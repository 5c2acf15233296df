import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowLab, type ServiceNowLab } from '../../../local/lab/servicenow/server.js';
import { startJiraLab, type JiraLab } from '../../../local/lab/jira/server.js';
import { JiraStatusReader, ServiceNowStatusReader } from '../../../shared/tickets/status-readers.js';

let snow: ServiceNowLab;
let jira: JiraLab;
let snowReader: ServiceNowStatusReader;
let jiraReader: JiraStatusReader;

beforeAll(async () => {
  [snow, jira] = await Promise.all([startServiceNowLab(), startJiraLab()]);
  const http = { fetch, retry: { maxAttempts: 2, baseDelayMs: 1 } };
  snowReader = new ServiceNowStatusReader({ url: snow.url, username: snow.username, password: snow.password, http });
  jiraReader = new JiraStatusReader({ url: jira.url, email: jira.email, token: jira.token, http });
});
afterAll(async () => {
  await Promise.all([snow.close(), jira.close()]);
});

describe('ticket approval re-check against the labs', () => {
  it.each([
    ['approved', '-1', true, /approved and in Implement \(-1\)/],
    ['approved', '-2', true, /Scheduled \(-2\)/],
    ['rejected', '-1', false, /now has approval "rejected"/],
    ['approved', '4', false, /now in Canceled \(4\)/],
  ])('reads a ServiceNow ticket with approval %s in state %s as approved=%s', async (approval, state, approved, detail) => {
    const row = snow.records.create({ approval, state });
    const answer = await snowReader.stillApproved({ system: 'servicenow', key: row.sys_id!, number: row.number! });
    expect(answer).toEqual({ approved, detail: expect.stringMatching(detail) });
  });

  it('reads a Jira issue as approved only while it is in the approved status', async () => {
    const issue = jira.issues.create({ project: { key: 'NETCHG' }, summary: 's', issuetype: { name: 'Change' } }, '2');
    const ticket = { system: 'jira' as const, key: issue.key };
    expect(await jiraReader.stillApproved(ticket)).toMatchObject({ approved: false, detail: expect.stringMatching(/"Awaiting approval"/) });
    jira.issues.transition(issue.key, '11', 'approver');
    expect(await jiraReader.stillApproved(ticket)).toMatchObject({ approved: true });
    jira.issues.transition(issue.key, '41', 'someone');
    expect(await jiraReader.stillApproved(ticket)).toMatchObject({ approved: false, detail: expect.stringMatching(/now in status "Failed"/) });
  });

  it('fails closed with TicketReadFailed when ServiceNow is down', async () => {
    const row = snow.records.create({ approval: 'approved', state: '-1' });
    snow.faults.add('servicenow.any=http500');
    try {
      await expect(snowReader.stillApproved({ system: 'servicenow', key: row.sys_id!, number: row.number! })).rejects.toMatchObject({
        name: 'TicketReadFailed',
        message: expect.stringMatching(/could not confirm that CHG\d+ is still approved/),
      });
    } finally {
      snow.faults.clear();
    }
  });
});
