// The body is parsed only after its signature checks out, but it is still hostile input: refuse
// bytes that are not UTF-8 and nesting deep enough to exhaust the stack of a recursive schema.
const maxDepth = 64;

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

/** What must hold before JSON.parse may see the body: UTF-8, and nesting a recursive schema survives. */
export function jsonTextProblem(rawBody: string | Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  let text: string;
  if (typeof rawBody === 'string') text = rawBody;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
    } catch (err) {
      return { ok: false, message: `expected a UTF-8 JSON body, found invalid UTF-8 (${(err as Error).message})` };
    }
  }
  if (nestingDepth(text) > maxDepth) {
    return { ok: false, message: `expected JSON nested at most ${maxDepth} levels deep, found deeper nesting` };
  }
  return { ok: true, text };
}

export function parseJsonBody(rawBody: string | Uint8Array): JsonBody {
  const checked = jsonTextProblem(rawBody);
  if (!checked.ok) return checked;
  const text = checked.text;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: `expected a JSON body, found invalid JSON: ${(err as Error).message}` };
  }
}

/** Bracket depth outside strings; a cheap upper bound that runs before JSON.parse. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
