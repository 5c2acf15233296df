import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startJiraLab, type JiraLab } from '../../../local/lab/jira/server.js';
import { startServiceNowLab, type ServiceNowLab } from '../../../local/lab/servicenow/server.js';
import { root, startApiStack, webhookSecret, type ApiStack } from './harness.js';

// The shipped ticket examples through the real `changeflow submit` against a stack whose
// endpoints.json names the lab's ServiceNow and Jira: the ticket an example names does not exist
// in the (empty) lab, so submit creates and approves it there first and sends its webhook.

const run = promisify(execFile);
let stack: ApiStack;
let snow: ServiceNowLab;
let jira: JiraLab;
let dir: string;

beforeAll(async () => {
  [stack, snow, jira] = await Promise.all([startApiStack(), startServiceNowLab(), startJiraLab()]);
  dir = mkdtempSync(join(tmpdir(), 'changeflow-examples-'));
  writeFileSync(
    join(dir, 'endpoints.json'),
    JSON.stringify({ api: stack.url, webhookSecret, servicenow: { url: snow.url, username: snow.username, password: snow.password }, jira: { url: jira.url, email: jira.email, token: jira.token } }),
  );
});
afterAll(async () => {
  await Promise.all([stack?.close(), snow?.close(), jira?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const submit = (file: string) => run(process.execPath, [join(root, 'bin/changeflow.mjs'), 'submit', file, '--data-dir', dir], { cwd: root });

describe.concurrent('the ticket examples as shipped, against the lab', () => {
  it('examples/jira-approved.json: creates and approves the issue in the lab Jira, then starts its change', async ({ expect }) => {
    const { stdout } = await submit('examples/jira-approved.json');
    expect(stdout).toMatch(/^lab: examples\/jira-approved\.json names a ticket the lab Jira does not have; created and approved (NETCHG-\d+) there and sent its webhook\nstarted jira-NETCHG-\d+-\d+\n/);
    const key = /approved (NETCHG-\d+)/.exec(stdout)?.[1] ?? '';
    expect(jira.issues.get(key).status).toBe('Approved');
    expect(await stack.executionNames()).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^jira-${key}-`))]));
  });

  it('examples/servicenow-approved.json: its window is long enough to be open, and the lab ServiceNow gets the change first', async ({ expect }) => {
    const { stdout } = await submit('examples/servicenow-approved.json');
    expect(stdout).toMatch(/^lab: examples\/servicenow-approved\.json names a ticket the lab ServiceNow does not have; created and approved (CHG\d+) there and sent its webhook\nstarted snow-CHG\d+-\d+\n/);
  });
});
