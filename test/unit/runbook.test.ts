import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntegrationSettings } from '../../functions/runtime/settings.js';
import { jiraPeople, serviceNowPeople } from '../../shared/tickets/people.js';

// Issue 19 item 14: the runbook says what a first deployment needs, and what it says is what the
// product does — the secret example parses with the settings schema the functions read, the
// ServiceNow properties are the ones the business rule reads, the user APIs it names are the ones
// called. (The stack outputs are checked against the synthesised template in
// test/unit/cdk/stack-outputs.test.ts, the delivery log example against the real binary in
// test/integration/api/deliveries-cli.test.ts, the dev banner in test/e2e/npm-start.test.ts.)

const root = join(import.meta.dirname, '../..');
const runbook = readFileSync(join(root, 'docs/runbook.md'), 'utf8');

/** The body of the runbook section whose heading starts with `heading`, up to the next heading of its level or above. */
function section(heading: string): string {
  const start = runbook.indexOf(`\n${heading}`);
  expect(start, heading).toBeGreaterThan(-1);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const rest = runbook.slice(start + 1);
  const next = rest.slice(1).search(new RegExp(`\\n#{1,${level}} `));
  return next === -1 ? rest : rest.slice(0, next + 1);
}

describe('the runbook (docs/runbook.md)', () => {
  it('deploys from nothing: cdk bootstrap once per account and region, before synth and deploy, for the stack the app names', () => {
    const deploy = section('## 1. Deploy to AWS');
    const steps = ['bootstrap aws://<account>/<region>', 'npm run synth', 'deploy -c sites='].map((s) => deploy.indexOf(s));
    expect(steps.every((i) => i > -1), deploy).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    const stackName = /new ChangeflowStack\(app, '([^']+)'/.exec(readFileSync(join(root, 'cdk/app.ts'), 'utf8'))?.[1];
    expect(deploy).toContain(`aws cloudformation describe-stacks\n--stack-name ${stackName} --query 'Stacks[0].Outputs'`);
  });

  it('gives an integrations secret the functions accept, with jira.specField', () => {
    const example = /cat > integrations\.json <<'JSON'\n([\s\S]*?)\nJSON\n/.exec(section('## 1. Deploy to AWS'))?.[1];
    expect(example).toBeDefined();
    // Placeholders as an operator fills them in.
    const filled = (example ?? '').replace(/<at least 16 random characters>/, 'x'.repeat(24)).replace(/<[^>]+>/g, 'abc123');
    const parsed = IntegrationSettings.safeParse(JSON.parse(filled));
    expect(parsed.success, parsed.error?.message).toBe(true);
    expect(parsed.data?.jira?.specField).toBe('customfield_10050');
    expect(section('### Jira Service Management')).toContain('the custom field configured as `jira.specField`');
  });

  it('lists exactly the ServiceNow system properties its business rule reads', () => {
    const servicenow = section('### ServiceNow');
    const table = [...servicenow.matchAll(/^\| `(x_changeflow\.[a-z_0-9]+)` \|/gm)].map((m) => m[1]);
    const read = [...servicenow.matchAll(/gs\.getProperty\('([^']+)'\)/g)].map((m) => m[1]);
    expect(table).toEqual(['x_changeflow.url', 'x_changeflow.webhook_secret_b64']);
    expect(new Set(read)).toEqual(new Set(table));
    expect(servicenow).toContain("r.setEndpoint(gs.getProperty('x_changeflow.url') + '/webhooks/servicenow');");
  });

  it('names the user APIs changeflow reads for requester names, as it calls them', async () => {
    const called: string[] = [];
    const http = {
      fetch: async (url: string) => {
        called.push(url);
        return { status: 200, text: async () => JSON.stringify({ result: { name: 'Jane Doe', user_name: 'jane.doe' }, displayName: 'Jane Doe' }) };
      },
    };
    const sysId = '6816f79cc0a8016401c5a33be04be441';
    expect(await serviceNowPeople({ url: 'https://sn.example', username: 'u', password: 'p', http }).nameOf(sysId)).toBe('Jane Doe (jane.doe)');
    expect(await jiraPeople({ url: 'https://jira.example', email: 'e', token: 't', http }).nameOf('5b10ac8d82e05b22cc7d4ef5')).toBe('Jane Doe');
    expect(called).toEqual([`https://sn.example/api/now/table/sys_user/${sysId}?sysparm_fields=name,user_name`, 'https://jira.example/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5']);
    const servicenow = section('### ServiceNow');
    expect(servicenow).toContain('`/api/now/table/sys_user/<sys_id>?sysparm_fields=name,user_name`');
    expect(servicenow).toContain('names the requester "Jane Doe (jane.doe)"');
    expect(section('### Jira Service Management')).toContain('`/rest/api/3/user?accountId=…`');
  });

  it('reads the delivery log with changeflow deliveries, linked from the ticketing section and the troubleshooting table', () => {
    expect(section('## 3. Wire the ticketing systems')).toContain('(`changeflow deliveries`, §6)');
    expect(section('## 6. Troubleshooting')).toContain('| a ticket was approved but nothing started | `changeflow deliveries --ticket CHG…` (below) |');
    const log = section('### Reading the delivery log');
    for (const flag of ['--day YYYY-MM-DD', '--since YYYY-MM-DD', '--outcome', '--ticket TEXT', '--json']) expect(log).toContain(flag);
  });

  it('explains the signed, expiring, read-only link in ticket notes: the route, each answer, the key and the lifetime (issue 19 item 11)', () => {
    const link = section('### The link in a ticket note');
    expect(link).toContain('`<publicUrl>/links/changes/<id>?expires=<unix seconds>&signature=<HMAC>`');
    const answers = [...link.matchAll(/^\| [^|]+ \| (\d{3})\b/gm)].map((m) => m[1]);
    expect(answers).toEqual(['200', '410', '403', '404']);
    for (const words of ['`alias/changeflow-page-links`', '`kms:GenerateMac`', '`kms:VerifyMac`', '`pageLinkDays`', '`page-link.key`']) expect(link).toContain(words);
  });
});
