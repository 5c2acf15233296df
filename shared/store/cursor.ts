import * as z from '../zod.js';
import { InvalidInput } from '../errors.js';
import { parseJsonText } from '../json-text.js';

// A cursor is opaque to callers but self-checking: it names the query it belongs to (a
// fingerprint of the filters), so a cursor pasted onto a different query is refused instead of
// silently skipping or repeating rows.
const CursorBody = z.object({
  v: z.literal(1),
  f: z.string(),
  p: z.int().check(z.gte(0)),
  k: z.optional(z.record(z.string(), z.string())),
  b: z.optional(z.record(z.string(), z.string())),
});
export type CursorPosition = {
  partition: number;
  startKey?: Record<string, string>;
  /** Bounds resolved on the first page (e.g. "now"), so later pages walk the same partitions. */
  carry?: Record<string, string>;
};

export function encodeCursor(fingerprint: string, position: CursorPosition): string {
  const body: z.infer<typeof CursorBody> = {
    v: 1,
    f: fingerprint,
    p: position.partition,
    k: position.startKey,
    b: position.carry,
  };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, fingerprint: string): CursorPosition {
  let parsed: z.infer<typeof CursorBody>;
  try {
    parsed = CursorBody.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (err) {
    throw new InvalidInput(`expected a cursor returned by a previous page, found an unreadable one (${String(err)})`, [
      { path: 'cursor', message: 'pass nextCursor exactly as returned, or drop it to start over' },
    ]);
  }
  if (parsed.f !== fingerprint) {
    throw new InvalidInput('this cursor belongs to a query with different filters', [
      { path: 'cursor', message: 'repeat the query with the same ticket/target/status/since/until, or drop the cursor' },
    ]);
  }
  return { partition: parsed.p, startKey: parsed.k, carry: parsed.b };
}

/** The bounds a cursor carries, read before the query is rebuilt; unreadable cursors are refused later. */
export function cursorCarry(cursor: string): Record<string, string> | undefined {
  const parsed = CursorBody.safeParse(parseJsonText(Buffer.from(cursor, 'base64url').toString('utf8')));
  return parsed.success ? parsed.data.b : undefined;
}

