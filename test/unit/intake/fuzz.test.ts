import { describe, expect, it } from 'vitest';
import { evaluateDelivery, type Delivery } from '../../../shared/intake/intake.js';
import { ChangeRequest } from '../../../shared/spec/change-request.js';
import { example, fixture, signed } from './deliveries.js';

// Seeded so a failure can be replayed: the seed and the case number are in the test name.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const originals: Delivery[] = [
  signed('servicenow', example('servicenow-approved.json')),
  signed('jira', example('jira-approved.json')),
  signed('jira', fixture('jira-approved-adf-description.json')),
];

const junk = ['\u0000', '"', '{', '}', '[', ']', ',', ':', '\\', '\uFFFD', 'é', ' ', '\n', 'null', '1e999', '-0', '__proto__'];

/** A mutation that always breaks the signature, timestamp, media type or size of a signed delivery. */
function mutate(d: Delivery, rand: () => number): Delivery {
  const raw = d.rawBody as string;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const at = Math.floor(rand() * raw.length);
  const headers = { ...(d.headers as Record<string, string>) };
  switch (Math.floor(rand() * 10)) {
    case 0: {
      const c = raw.charCodeAt(at);
      return { ...d, rawBody: raw.slice(0, at) + String.fromCharCode(c === 0x41 ? 0x42 : 0x41) + raw.slice(at + 1) };
    }
    case 1:
      return { ...d, rawBody: raw.slice(0, at) };
    case 2:
      return { ...d, rawBody: raw.slice(0, at) + pick(junk) + raw.slice(at) };
    case 3: {
      const bytes = Buffer.from(raw);
      // XOR with a non-zero value so the byte always changes.
      const i = at % bytes.length;
      bytes[i] = (bytes[i] ?? 0) ^ (1 + Math.floor(rand() * 255));
      return { ...d, rawBody: bytes };
    }
    case 4:
      delete headers[pick(Object.keys(headers))];
      return { ...d, headers };
    case 5:
      headers['X-Changeflow-Timestamp'] = String(Number(headers['X-Changeflow-Timestamp']) + pick([-100_000, -301, 301, 7_200, 1e9]));
      return { ...d, headers };
    case 6:
      headers['X-Changeflow-Signature'] = pick(['', 'sha256=', `sha256=${'g'.repeat(64)}`, `sha1=${'a'.repeat(40)}`, headers['X-Changeflow-Signature']!.slice(0, -1) + 'x']);
      return { ...d, headers };
    case 7:
      headers['content-type'] = pick(['text/plain', 'application/xml', '', 'application/json; charset=latin1', 'multipart/form-data']);
      return { ...d, headers };
    case 8:
      return { ...d, rawBody: raw + ' '.repeat(256 * 1024) };
    default: {
      const garbage = Array.from({ length: 1 + Math.floor(rand() * 200) }, () => String.fromCharCode(Math.floor(rand() * 0xffff))).join('');
      return { ...d, rawBody: garbage };
    }
  }
}

describe('intake fuzz', () => {
  it('refuses 1200 mutated bodies and headers with a 4xx, never starting or ignoring anything (seed 20261122)', () => {
    const rand = prng(20261122);
    const seen = new Set<number>();
    for (let i = 0; i < 1200; i++) {
      const original = originals[i % originals.length]!;
      const verdict = evaluateDelivery(mutate(original, rand));
      if (verdict.kind !== 'refused') throw new Error(`case ${i}: expected a refusal, got ${JSON.stringify(verdict).slice(0, 200)}`);
      expect(verdict.httpStatus).toBeGreaterThanOrEqual(400);
      expect(verdict.httpStatus).toBeLessThan(500);
      seen.add(verdict.httpStatus);
    }
    expect([...seen].sort()).toEqual([401, 413, 415]);
  });

  it('answers 1000 re-signed structural mutations without throwing, and every acceptance is a valid ChangeRequest (seed 7)', () => {
    const rand = prng(7);
    const values: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(300), [], {}, true, '-1', 'approved', { value: 1 }, [[[[]]]]];
    const kinds = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const original = originals[i % originals.length]!;
      const body = JSON.parse(original.rawBody as string) as Record<string, unknown>;
      const target = rand() < 0.5 && typeof body.issue === 'object' ? ((body.issue as { fields: Record<string, unknown> }).fields) : body;
      const keys = Object.keys(target);
      const key = keys[Math.floor(rand() * keys.length)]!;
      if (rand() < 0.3) delete target[key];
      else target[key] = values[Math.floor(rand() * values.length)];
      const verdict = evaluateDelivery(signed(original.system, body));
      kinds.set(verdict.kind, (kinds.get(verdict.kind) ?? 0) + 1);
      if (verdict.kind === 'refused') expect(verdict.httpStatus).toBe(400);
      if (verdict.kind === 'accepted') expect(ChangeRequest.safeParse(verdict.request).success).toBe(true);
    }
    expect(kinds.get('refused')).toBeGreaterThan(100);
  });
});
