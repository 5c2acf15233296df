import * as z from '../../../shared/zod.js';
import { apicErrors } from './lab-error.js';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml.js';

// A POSTed MO, whichever format it came in: `{"fvTenant":{"attributes":{…},"children":[…]}}`
// or `<fvTenant name="a"><fvCtx name="v"/></fvTenant>`.

export interface BodyNode {
  className: string;
  attrs: Record<string, string>;
  children: BodyNode[];
}

// APIC attributes are strings on the wire; a JSON number or boolean is refused, not coerced (a
// real APIC mangles unquoted numbers — cisco.aci#799 saw 32768 arrive as 2768).
const Scalar = z.string({ error: (issue) => `attribute values must be JSON strings, found ${typeof issue.input}` });
type JsonMo = { [cls: string]: { attributes?: Record<string, string>; children?: JsonMo[] } };
const JsonMo: z.ZodMiniType<JsonMo, unknown> = z.lazy(() =>
  z.record(
    z.string(),
    z.object({
      attributes: z.optional(z.record(z.string(), Scalar)),
      children: z.optional(z.array(JsonMo)),
    }),
  ),
);

function fromJson(mo: JsonMo): BodyNode {
  const entries = Object.entries(mo);
  const first = entries[0];
  if (entries.length !== 1 || !first) throw apicErrors.badJson('expected exactly one class per object');
  const [className, body] = first;
  return { className, attrs: { ...(body.attributes ?? {}) }, children: (body.children ?? []).map(fromJson) };
}

function fromXml(el: XmlElement): BodyNode {
  return { className: el.name, attrs: { ...el.attrs }, children: el.children.map(fromXml) };
}

export function parseBody(raw: string, format: 'json' | 'xml'): BodyNode {
  if (format === 'xml') {
    try {
      return fromXml(parseXml(raw));
    } catch (err) {
      if (err instanceof XmlSyntaxError) throw apicErrors.badXml(err.message);
      throw err;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw apicErrors.badJson(`${(err as Error).message} at line: 1`);
  }
  const parsed = JsonMo.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw apicErrors.badJson(`unexpected structure${where}: ${issue?.message ?? 'bad body'}`);
  }
  return fromJson(parsed.data);
}
