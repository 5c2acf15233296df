import type * as z from '../zod.js';
import { InvalidInput } from '../errors.js';

/** Parses caller input at the store's boundary; every offending field comes back by path. */
export function parseInput<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidInput(
    `expected a valid ${what}; fix the fields listed`,
    parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}
