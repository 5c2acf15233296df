import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../../cli/commands/validate.js';
import { ExitCode } from '../../../cli/exit-codes.js';

// `changeflow validate` takes a ticket file too and judges the spec inside it, where intake finds it.
const dir = mkdtempSync(join(tmpdir(), 'validate-ticket-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ticketFile(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

describe('changeflow validate on a ticket', () => {
  it('accepts the shipped ServiceNow and Jira examples, saying where the spec came from', async () => {
    const snow = await validateFile('examples/servicenow-approved.json');
    expect(snow).toMatchObject({ exitCode: ExitCode.ok });
    expect(snow.output).toContain('ServiceNow ticket, ChangeSpec from u_change_spec');
    const jira = await validateFile('examples/jira-approved.json');
    expect(jira).toMatchObject({ exitCode: ExitCode.ok });
    expect(jira.output).toContain('Jira ticket, ChangeSpec from description (```yaml block)');
  });

  it('names the ticket field and the spec path of an error inside the spec', async () => {
    const record = JSON.parse(readFileSync('examples/servicenow-approved.json', 'utf8')) as Record<string, string>;
    const file = ticketFile('typo.json', { ...record, u_change_spec: record['u_change_spec']!.replace('blocks:', 'blokcs:') });
    const r = await validateFile(file);
    expect(r.exitCode).toBe(ExitCode.badInput);
    expect(r.output).toMatch(/u_change_spec: changes\[0\]\.blokcs: unknown field/);
  });

  it('says where to put the spec when a ticket has none', async () => {
    const record = JSON.parse(readFileSync('examples/servicenow-approved.json', 'utf8')) as Record<string, string>;
    const r = await validateFile(ticketFile('empty.json', { ...record, u_change_spec: '' }));
    expect(r.exitCode).toBe(ExitCode.badInput);
    expect(r.output).toContain('put it in the u_change_spec field');
  });
});
