import * as z from '../../shared/zod.js';
import { MoJson } from '../../shared/plan/plan-op.js';

// Every APIC answer is read the same way: JSON with `totalCount` (a string) and `imdata`; an
// `error` MO in imdata is a failure whatever the HTTP status; anything that is not JSON (the
// HTML pages of a throttling or overloaded front end) is a transient failure.

export const ApicEnvelope = z.object({
  totalCount: z.pipe(z.union([z.string(), z.number()]), z.transform(Number)),
  imdata: z.array(MoJson),
});
export type ApicEnvelope = z.infer<typeof ApicEnvelope>;

const ErrorMo = z.object({ error: z.object({ attributes: z.object({ code: z.string(), text: z.string() }) }) });

export type Reading =
  | { kind: 'ok'; envelope: ApicEnvelope }
  | { kind: 'error'; code: string; text: string }
  | { kind: 'garbled'; problem: string };

export function readEnvelope(status: number, contentType: string, text: string): Reading {
  const trimmed = text.trimStart();
  if (contentType.includes('html') || trimmed.startsWith('<html') || trimmed.startsWith('<!DOCTYPE')) {
    return { kind: 'garbled', problem: `HTTP ${status} with an HTML body` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { kind: 'garbled', problem: `HTTP ${status} with a body that is not JSON (${(err as Error).message})` };
  }
  const parsed = ApicEnvelope.safeParse(json);
  if (!parsed.success) return { kind: 'garbled', problem: `HTTP ${status} with JSON that is not an imdata envelope` };
  const first = ErrorMo.safeParse(parsed.data.imdata[0]);
  if (first.success) return { kind: 'error', ...first.data.error.attributes };
  return { kind: 'ok', envelope: parsed.data };
}

/** Attributes of the first MO of a class in an envelope, if any. */
export function firstAttributes(envelope: ApicEnvelope, ...classNames: string[]): Record<string, string> | undefined {
  for (const mo of envelope.imdata) {
    for (const cls of classNames) {
      const body = mo[cls];
      if (body) return body.attributes;
    }
  }
  return undefined;
}
