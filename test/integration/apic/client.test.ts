import { afterEach, describe, expect, it } from 'vitest';
import { createApicClient, type ApicClient } from '../../../agent/apic/client.js';
import { ApicApplyFailed, ApicError, ApicUnavailable } from '../../../agent/apic/errors.js';
import { canonicalJson } from '../../../shared/canonical-json.js';
import type { ApicRequest } from '../../../shared/plan/plan-op.js';
import { FaultBook } from '../../../local/lab/faults.js';
import { startApicLab, type ApicLab, type ApicLabOptions } from '../../../local/lab/apic/lab.js';
import { VirtualClock } from '../../support/virtual-clock.js';

const tn = 'uni/tn-k8s-prod-a';
const fast = { baseDelayMs: 5, factor: 2, maxDelayMs: 50, jitter: 0.1 };
const labs: ApicLab[] = [];

async function labWith(opts: ApicLabOptions = {}): Promise<ApicLab> {
  const lab = await startApicLab({ backupDelayMs: 10, ...opts });
  labs.push(lab);
  return lab;
}

function clientFor(lab: ApicLab, extra: Partial<Parameters<typeof createApicClient>[0]> = {}): ApicClient {
  return createApicClient({ url: lab.url, username: lab.username, password: lab.password, retry: fast, ...extra });
}

afterEach(async () => {
  await Promise.all(labs.splice(0).map((l) => l.close()));
});

const tenantPost = (name: string): ApicRequest => ({ kind: 'apic', method: 'POST', dn: `uni/tn-${name}`, body: { fvTenant: { attributes: { name } } } });

describe('APIC client against the lab', () => {
  it('logs in once, reads the APIC version and queries MOs and classes', async () => {
    const lab = await labWith();
    const client = clientFor(lab);
    expect((await client.login()).version).toBe('6.1(2f)');
    const vrf = await client.mo(`${tn}/ctx-vrf-1`);
    expect(vrf[0]?.fvCtx?.attributes.name).toBe('vrf-1');
    const leaves = await client.cls('fabricNode', { 'query-target-filter': 'eq(fabricNode.role,"leaf")' });
    expect(leaves).toHaveLength(4);
    expect(client.stats()).toMatchObject({ logins: 1, relogins: 0, requests: 3 });
  });

  it('re-logs in once when the token expires mid-run (apic.token=expire@3) and carries on', async () => {
    const lab = await labWith({ faults: new FaultBook(['apic.token=expire@3']) });
    const client = clientFor(lab);
    for (const name of ['t1', 't2', 't3', 't4']) await client.post(`uni/tn-${name}`, { fvTenant: { attributes: { name } } });
    expect(lab.mit.byClass('fvTenant').map((t) => t.attrs.name)).toEqual(expect.arrayContaining(['t1', 't2', 't3', 't4']));
    expect(client.stats()).toMatchObject({ logins: 2, relogins: 1 });
  });

  it('retries a 503 HTML answer and gives up with ApicUnavailable inside the deadline', async () => {
    const lab = await labWith({ faults: new FaultBook(['apic.any=http503']) });
    const clock = new VirtualClock();
    const client = clientFor(lab, { deadlineMs: 2000, retry: { ...fast, maxAttempts: 4 }, clock });
    const err = await client.mo('uni').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApicUnavailable);
    expect((err as ApicUnavailable).attempts).toBe(4);
    expect((err as ApicUnavailable).lastProblem).toMatch(/HTML/);
    // Three waits of 5, 10, 20 ms ±10 % between the four attempts.
    expect(clock.waits).toHaveLength(3);
    clock.waits.forEach((w, i) => expect(Math.abs(w - 5 * 2 ** i)).toBeLessThanOrEqual(Math.ceil(0.1 * 5 * 2 ** i)));
  });

  it('stops retrying when the deadline would pass before the next attempt', async () => {
    const lab = await labWith({ faults: new FaultBook(['apic.any=http503']) });
    const clock = new VirtualClock();
    const client = clientFor(lab, { deadlineMs: 300, retry: { baseDelayMs: 100, factor: 2, maxDelayMs: 1000, jitter: 0, maxAttempts: 11 }, clock });
    const err = await client.mo('uni').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApicUnavailable);
    // 100 ms after the first attempt fits in 300 ms; 100 + 200 would reach the deadline.
    expect((err as ApicUnavailable).attempts).toBe(2);
    expect(clock.waits).toEqual([100]);
  });

  it('gives up on an APIC that does not answer within timeoutMs', async () => {
    const lab = await labWith({ latencyMs: 300 });
    const client = clientFor(lab, { timeoutMs: 50, deadlineMs: 1000, retry: { ...fast, maxAttempts: 2 } });
    const err = await client.mo('uni').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApicUnavailable);
    expect((err as ApicUnavailable).lastProblem).toBe('no answer within 50 ms');
  });

  it('logs out, and the next call logs in again', async () => {
    const lab = await labWith();
    const client = clientFor(lab);
    await client.mo('uni');
    await client.logout();
    await client.mo('uni');
    expect(client.stats()).toMatchObject({ logins: 2, relogins: 0 });
  });

  it('survives a transient 503 (apic.any=http503@1) without the caller noticing', async () => {
    const lab = await labWith({ faults: new FaultBook(['apic.any=http503@1']) });
    const client = clientFor(lab);
    expect(await client.mo(tn)).toHaveLength(1);
    expect(client.stats().retries).toBe(1);
  });

  it('fails the second POST with ApicError code 1 (apic.post=error@2) and the tree keeps the first only', async () => {
    const lab = await labWith({ faults: new FaultBook(['apic.post=error@2']) });
    const client = clientFor(lab);
    await client.post('uni/tn-first', { fvTenant: { attributes: { name: 'first' } } });
    const err = await client.post('uni/tn-second', { fvTenant: { attributes: { name: 'second' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApicError);
    expect(err).toMatchObject({ status: 400, code: '1' });
    expect((err as ApicError).text).toMatch(/^Invalid Configuration/);
    expect(lab.mit.get('uni/tn-first')).toBeDefined();
    expect(lab.mit.get('uni/tn-second')).toBeUndefined();
  });

  it('refreshes the token before refreshTimeoutSeconds so a long run never sees a 403', async () => {
    // The lab and the client read the same clock, which the test moves instead of waiting.
    let now = Date.parse('2026-01-01T00:00:00Z');
    const lab = await labWith({ tokenTtlSeconds: 1, tokenClock: () => now });
    const client = clientFor(lab, { refreshAt: 0.5, now: () => now });
    await client.mo('uni');
    now += 600;
    await client.mo('uni');
    now += 600;
    await client.mo('uni');
    expect(client.stats()).toMatchObject({ logins: 1, relogins: 0, refreshes: 2 });
  });

  it('reads every page of a large class query', async () => {
    const lab = await labWith({ scenario: 'full-l3out' });
    const client = clientFor(lab);
    const epgs = await client.getAll('/api/class/l3extInstP.json', { 'rsp-prop-include': 'naming-only' }, 100);
    expect(epgs).toHaveLength(249);
    expect(new Set(epgs.map((mo) => mo.l3extInstP?.attributes.dn)).size).toBe(249);
    expect(client.stats().byMethod.GET).toBe(3);
  });

  it('applies a request list, stops at the failing one, and the inverse list restores the dump byte for byte', async () => {
    const lab = await labWith({ faults: new FaultBook(['apic.post=error@3']) });
    const client = clientFor(lab);
    const before = canonicalJson(lab.dump());
    const requests = [tenantPost('a1'), tenantPost('a2'), tenantPost('a3')];
    const err = await client.apply(requests).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApicApplyFailed);
    expect(err).toMatchObject({ applied: 2, failedIndex: 2 });
    const inverse: ApicRequest[] = requests.slice(0, 2).reverse().map((r) => ({ kind: 'apic', method: 'DELETE', dn: r.dn }));
    expect(await client.apply(inverse)).toEqual({ applied: 2 });
    expect(canonicalJson(lab.dump())).toBe(before);
  });

  it('restores modified attributes with an inverse POST, byte for byte', async () => {
    const lab = await labWith();
    const client = clientFor(lab);
    const before = canonicalJson(lab.dump());
    await client.post(`${tn}/ctx-vrf-1`, { fvCtx: { attributes: { descr: 'changed', pcEnfPref: 'unenforced' } } });
    expect(canonicalJson(lab.dump())).not.toBe(before);
    await client.post(`${tn}/ctx-vrf-1`, { fvCtx: { attributes: { descr: '', pcEnfPref: 'enforced' } } });
    expect(canonicalJson(lab.dump())).toBe(before);
  });
});
