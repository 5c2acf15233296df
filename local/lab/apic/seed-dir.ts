import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from '../../../shared/zod.js';
import { childDn } from '../../../shared/aci/dn.js';
import { aciClass, rnFor, volatileAttrs } from '../../../shared/aci/classes.js';
import { ChangeflowError } from '../../../shared/errors.js';
import type { Mit } from './mit.js';
import { seedRoots } from './scenario.js';

// --lab-seed DIR: captured APIC answers (`imdata` envelopes or bare imdata arrays, any file
// ending .json) become the tree. Captures carry every attribute a real APIC returns, so the MOs
// are stored as captured, minus the volatile ones; classes the catalog does not know are kept.

type CapturedMo = { [cls: string]: { attributes?: Record<string, string>; children?: CapturedMo[] } };
const CapturedMo: z.ZodMiniType<CapturedMo> = z.lazy(() =>
  z.record(z.string(), z.object({ attributes: z.optional(z.record(z.string(), z.string())), children: z.optional(z.array(CapturedMo)) })),
);
const Capture = z.union([z.object({ imdata: z.array(CapturedMo) }), z.array(CapturedMo)]);

export class LabSeedInvalid extends ChangeflowError {
  override readonly name = 'LabSeedInvalid' as const;
}

const dropped = new Set(volatileAttrs);

function load(mit: Mit, mo: CapturedMo, parent: string | undefined, file: string): void {
  for (const [className, body] of Object.entries(mo)) {
    if (className === 'error' || className === 'moCount') continue;
    const attrs = body.attributes ?? {};
    let dn = attrs.dn;
    if (!dn && parent !== undefined) dn = childDn(parent, attrs.rn ?? (aciClass(className) ? rnFor(className, attrs) : ''));
    if (!dn) throw new LabSeedInvalid(`expected a dn (or a parent and rn) for a ${className} in ${file}; found none — capture with the dn attribute`);
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(attrs)) if (!dropped.has(k) && k !== 'dn') kept[k] = v;
    const def = aciClass(className);
    mit.put({ className, dn, attrs: { ...def?.config, ...def?.oper, ...kept }, modTs: attrs.modTs ?? '2025-01-01T00:00:00.000+00:00' });
    for (const child of body.children ?? []) load(mit, child, dn, file);
  }
}

export async function seedFromDir(mit: Mit, dir: string, now: string): Promise<number> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  seedRoots(mit, now);
  for (const f of files) {
    const path = join(dir, f);
    const parsed = Capture.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (!parsed.success) {
      throw new LabSeedInvalid(`expected an imdata envelope or array in ${path}; ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
    }
    const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.imdata;
    for (const mo of list) load(mit, mo, undefined, path);
  }
  return mit.size;
}
