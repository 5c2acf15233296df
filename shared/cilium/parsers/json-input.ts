import { InvalidInput } from '../../errors.js';

/** Parsers take either the raw CLI output or already-parsed JSON. */
export function jsonInput(input: unknown, what: string): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch (err) {
    throw new InvalidInput(`expected ${what} as JSON; it does not parse (${(err as Error).message}) — capture it with -o json`);
  }
}
