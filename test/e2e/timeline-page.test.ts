import { execFile } from 'node:child_process';
import { readFile, rm, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, hasChromium, openPage } from '../support/e2e-chromium.js';
import { decodePng, stepMarks } from '../support/png-pixels.js';
import { labDumps, ticketWriteBack } from '../support/e2e-lab.js';
import { e2eSpec, runChange, startE2eStack, verifyChain, type E2eStack, type Finished, type Submitted } from '../support/e2e-stack.js';

// Issue 10 §3: the change timeline page, opened in headless Chromium the way a change manager
// opens the audit link from the ticket — once for a change that succeeded and once for one that
// failed verification and was rolled back. Set CHANGEFLOW_E2E_ARTIFACTS=DIR to keep the screenshots.

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const size = { width: 1280, height: 2000 };

/** Width and height from the IHDR chunk, which a valid PNG carries first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(pngSignature), 'PNG signature').toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const poolGreen = (spec: string) => spec.replace(/pool-red/g, 'pool-green').replace('10.0.10.0/24', '10.0.12.0/24').replace('color: red', 'color: green');

describe.skipIf(!hasChromium)(`the change timeline page in headless Chromium (${chromiumPath}; skipped when absent — CI installs it)`, () => {
  let e2e: E2eStack;
  let shots: string;
  let succeeded: Submitted & Finished;
  let rolledBack: Submitted & Finished;

  beforeAll(async () => {
    e2e = await startE2eStack('timeline');
    const artifacts = process.env['CHANGEFLOW_E2E_ARTIFACTS'];
    shots = artifacts ?? (await mkdtemp(join(tmpdir(), 'changeflow-e2e-shots-')));
    await mkdir(shots, { recursive: true });
  });

  afterAll(async () => {
    await e2e?.close();
    if (shots && !process.env['CHANGEFLOW_E2E_ARTIFACTS']) await rm(shots, { recursive: true, force: true });
  });

  it('runs the two changes the page is about: one succeeds, one fails verification and is rolled back', { timeout: 120_000 }, async () => {
    succeeded = await runChange(e2e, 'servicenow', 'Peer prod-a with dc1-aci', e2eSpec('bgp-peering'));
    expect(succeeded.change.status).toBe('SUCCEEDED');

    // The connectivity test fails while pool-green is in: verification fails and both sides roll back.
    const before = await labDumps(e2e);
    const world = e2e.stack.lab.world.url;
    await fetch(`${world}/_lab/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: ['cilium.connectivity=fail'] }) });
    try {
      rolledBack = await runChange(e2e, 'jira', 'LB pool pool-green for prod-a', poolGreen(e2eSpec('load-balancer-pool')));
    } finally {
      await fetch(`${world}/_lab/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: [] }) });
    }
    expect(rolledBack.change.status).toBe('ROLLED_BACK');
    expect(await labDumps(e2e)).toEqual(before);
    expect((await ticketWriteBack(e2e, rolledBack)).closure).toBe('Failed');
    expect((await verifyChain(e2e, rolledBack.changeId)).valid).toBe(true);
  });

  it('shows the succeeded change with its status, steps, plan diff and verified chain', { timeout: 120_000 }, async () => {
    const url = `${e2e.api}/changes/${succeeded.changeId}`;
    const file = join(shots, 'timeline-succeeded.png');
    const dom = await openPage(url, file, size);
    const png = await readFile(file);
    expect(png.length).toBeGreaterThan(10 * 1024);
    expect(pngSize(png)).toEqual(size);

    expect(dom).toContain(`<title>${succeeded.changeId} · SUCCEEDED · changeflow</title>`);
    expect(dom).toMatch(/<span class="badge big good">SUCCEEDED<\/span>/);
    for (const type of ['change.received', 'precheck.passed', 'plan.created', 'apply.aci.applied', 'apply.cluster.applied', 'verify.passed', 'change.succeeded']) {
      expect(dom, type).toContain(`<span class="type">${type}</span>`);
    }
    expect(dom).toMatch(/<div class="add">\+ uni\/tn-k8s-prod-a\/out-prod-a-l3out<\/div>/);
    expect(dom).toContain('+ cilium.io/v2/CiliumBGPClusterConfig/aci-prod-a-l3out');
    expect(dom).toContain(`verified · ${succeeded.events.length} events`);
    // Every head was anchored in the data dir's digest directory as the change ran.
    expect(dom).toContain(`<span class="badge good">matches anchor</span> <span class="meta">seq ${succeeded.events.length} anchored`);
    expect((await verifyChain(e2e, succeeded.changeId)).anchor?.state).toBe('matched');
    expect(dom.match(/<li class="step good">/g)).toHaveLength(6);
    expect(stepMarks(decodePng(png), 6)?.tones).toEqual(['good', 'good', 'good', 'good', 'good', 'good']);

    // The page counts the plan as the CLI does (issue 19 item 7): objects and the operations that
    // carry them, labelled, in the same words as the `Plan:` line `changeflow watch` prints.
    const changeflow = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['bin/changeflow.mjs', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
      );
    const watched = await changeflow(['watch', succeeded.changeId, '--api', e2e.api]);
    const cliTotals = /^ +Plan: (.*)\. {2}\(\w{12}\)$/m.exec(watched)?.[1];
    expect(cliTotals, watched).toMatch(/^\d+ objects to add, 0 to change, 0 to destroy — in \d+ operations \(\d+ create\)$/);
    expect(/<p class="totals">(.*?)<\/p>/.exec(dom)?.[1]?.replace(/<[^>]+>/g, '')).toBe(cliTotals);
    // And how long it took in the same words as `audit show` and `status` (first event to last).
    const took = /<dt>Duration<\/dt><dd>([^<]+)<\/dd>/.exec(dom)?.[1];
    expect(took).toMatch(/^\d/);
    expect(await changeflow(['audit', 'show', succeeded.changeId, '--data-dir', dirname(e2e.stack.endpointsPath)])).toMatch(new RegExp(` took ${took}\n`));
    expect(await changeflow(['status', succeeded.changeId, '--data-dir', dirname(e2e.stack.endpointsPath)])).toContain(` · took ${took}\n`);
  });

  it('shows the rolled-back change with the failed check, the rollback and why, in warning colours', { timeout: 120_000 }, async () => {
    const url = `${e2e.api}/changes/${rolledBack.changeId}`;
    const file = join(shots, 'timeline-rolled-back.png');
    const dom = await openPage(url, file, size);
    const png = await readFile(file);
    expect(png.length).toBeGreaterThan(10 * 1024);
    expect(pngSize(png)).toEqual(size);

    expect(dom).toMatch(/<span class="badge big warn">ROLLED_BACK<\/span>/);
    expect(dom).toContain('rolled back after VerificationFailed');
    for (const type of ['plan.created', 'verify.connectivity-test', 'verify.failed', 'rollback.started', 'rollback.verified', 'change.rolled-back']) {
      expect(dom, type).toContain(`<span class="type">${type}</span>`);
    }
    expect(dom).toMatch(/<li class="step bad"><span class="mark">✕<\/span><span class="name">Verify<\/span>/);
    expect(dom).toMatch(/<li class="step warn"><span class="mark">↺<\/span><span class="name">Rollback<\/span>/);
    // On the screenshot: the failed Verify red, the rollback and its outcome amber.
    expect(stepMarks(decodePng(png), dom.match(/<li class="step (?:good|bad|warn)">/g)?.length ?? 0)?.tones.slice(-3)).toEqual(['bad', 'warn', 'warn']);
    expect(dom).toContain('+ uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.12.0/24]');
    expect(dom).toContain(`verified · ${rolledBack.events.length} events`);
  });

  it('opens the page from the link in the ticket note, without credentials: signed, expiring, read-only (issue 19 item 11)', { timeout: 120_000 }, async () => {
    const { notes } = await ticketWriteBack(e2e, succeeded);
    const links = notes.flatMap((n) => [...n.matchAll(/ · audit (\S+)/g)].map((m) => m[1] ?? ''));
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) expect(link).toMatch(new RegExp(`^${e2e.api}/links/changes/${succeeded.changeId}\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`));
    const url = links[links.length - 1] ?? '';
    // No caller header, no cookie: what a change manager's browser sends.
    const plain = await fetch(url);
    expect(plain.status).toBe(200);
    const file = join(shots, 'timeline-from-ticket-link.png');
    const dom = await openPage(url, file, size);
    expect(pngSize(await readFile(file))).toEqual(size);
    expect(dom).toContain(`<title>${succeeded.changeId} · SUCCEEDED · changeflow</title>`);
    expect(dom).toMatch(/<div class="sub link">Read-only view through the signed link in the ticket; the link opens this page until /);
    // The requester is named as the ticket's people know them, not by the sys_id ServiceNow sent (item 14).
    expect(notes[0]).toContain('Requested by Jane Doe (jane.doe).');
    expect(dom).toContain('requested by Jane Doe (jane.doe)');
    expect(notes.join('\n')).not.toContain('5137153cc611227c000bbd1bd8cd2005');
    // The same signature does not open the other change.
    const other = url.replace(`/links/changes/${succeeded.changeId}`, `/links/changes/${rolledBack.changeId}`);
    expect((await fetch(other)).status).toBe(403);
  });
});
