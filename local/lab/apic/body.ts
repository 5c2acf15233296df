import * as z from 'zod';
import { apicErrors } from './lab-error.js';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml.js';

// A POSTed MO, whichever format it came in: `{"fvTenant":{"attributes":{…},"children":[…]}}`
// or `<fvTenant name="a"><fvCtx name="v"/></fvTenant>`.

export interface BodyNode {
  className: string;
  attrs: Record<string, string>;
  children: BodyNode[];
}

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
type JsonMo = { [cls: string]: { attributes?: Record<string, string>; children?: JsonMo[] } };
const JsonMo: z.ZodType<JsonMo, unknown> = z.lazy(() =>
  z.record(
    z.string(),
    z.object({
      attributes: z.record(z.string(), Scalar).optional(),
      children: z.array(JsonMo).optional(),
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
  if (!parsed.success) throw apicErrors.badJson(`unexpected structure: ${parsed.error.issues[0]?.message ?? 'bad body'}`);
  return fromJson(parsed.data);
}
