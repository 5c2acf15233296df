import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AnchorConflict, createAuditAnchor } from '../../../shared/anchor/anchor.js';
import { headKey } from '../../../shared/anchor/digest.js';
import { judgeAgainstAnchor } from '../../../shared/anchor/judge.js';
import type { AnchorObjects } from '../../../shared/anchor/objects.js';
import { generatePlanKeyPair, localKeyId, localPlanSigner } from '../../../shared/signing/index.js';

// The anchor's reader believes only what its key signed and what chains: a digest forged with
// another key, edited after signing, or swapped for another head is a problem, not a head.

function memoryObjects(): AnchorObjects & { map: Map<string, Buffer> } {
  const map = new Map<string, Buffer>();
  return {
    map,
    name: 'memory',
    putNew: (key, body) => {
      if (map.has(key)) return Promise.resolve('exists');
      map.set(key, body);
      return Promise.resolve('written');
    },
    get: (key) => Promise.resolve(map.get(key)),
    async *list(prefix) {
      yield* [...map.keys()].filter((k) => k.startsWith(prefix)).sort();
    },
  };
}

const hash = (n: number) => n.toString(16).padStart(64, '0');
const now = () => new Date('2026-12-03T07:14:16.000Z');

function anchorWith(objects: AnchorObjects, pair = generatePlanKeyPair()) {
  const publicKey = createPublicKey(pair.publicKeyPem);
  return createAuditAnchor({ objects, signer: localPlanSigner(pair.privateKeyPem), trustedKeys: () => Promise.resolve([{ keyId: localKeyId(publicKey), publicKey }]), now });
}

async function anchored(count: number) {
  const objects = memoryObjects();
  const anchor = anchorWith(objects);
  for (let seq = 1; seq <= count; seq += 1) await anchor.recordHead({ changeId: 'c1', seq, hash: hash(seq), at: now().toISOString() });
  return { objects, anchor };
}

describe('audit anchor', () => {
  it('reads back every head in order, chained, and lists the change', async () => {
    const { anchor } = await anchored(3);
    const reading = await anchor.readChange('c1');
    expect(reading.problems).toEqual([]);
    expect(reading.heads.map((h) => [h.digest.head.seq, h.digest.previous?.key ?? null])).toEqual([
      [1, null],
      [2, headKey('c1', 1)],
      [3, headKey('c1', 2)],
    ]);
    expect((await anchor.listChanges()).changeIds).toEqual(['c1']);
    expect(judgeAgainstAnchor({ present: true, hashes: [hash(1), hash(2), hash(3)] }, reading)).toMatchObject({ state: 'matched', head: { seq: 3 } });
  });

  it('is idempotent for the same head and refuses another head at the same seq', async () => {
    const { anchor } = await anchored(2);
    await anchor.recordHead({ changeId: 'c1', seq: 2, hash: hash(2), at: now().toISOString() });
    await expect(anchor.recordHead({ changeId: 'c1', seq: 2, hash: hash(99), at: now().toISOString() })).rejects.toBeInstanceOf(AnchorConflict);
  });

  it('does not believe a digest signed with another key', async () => {
    const { objects, anchor } = await anchored(2);
    const other = memoryObjects();
    const forgedAnchor = anchorWith(other);
    await forgedAnchor.recordHead({ changeId: 'c1', seq: 1, hash: hash(1), at: now().toISOString() });
    objects.map.set(headKey('c1', 3), other.map.get(headKey('c1', 1)) ?? Buffer.alloc(0));
    const reading = await anchor.readChange('c1');
    expect(reading.problems.join('\n')).toMatch(/anchor object heads\/c1\/0000000003\.json: key local:[0-9a-f]{16} is not trusted here/);
    expect(judgeAgainstAnchor({ present: true, hashes: [hash(1), hash(2)] }, reading)).toMatchObject({ state: 'mismatch' });
  });

  it('does not believe a digest edited after signing, nor one that does not chain', async () => {
    const { objects, anchor } = await anchored(3);
    const key = headKey('c1', 3);
    objects.map.set(key, Buffer.from((objects.map.get(key) ?? Buffer.alloc(0)).toString('utf8').replace(hash(3), hash(7))));
    expect((await anchor.readChange('c1')).problems.join('\n')).toMatch(/heads\/c1\/0000000003\.json: the signature by .* does not verify/);

    const second = await anchored(2);
    second.objects.map.delete(headKey('c1', 1));
    expect((await second.anchor.readChange('c1')).problems.join('\n')).toMatch(/follows seq 0: digest 1 is missing/);
  });
});
