import { ChangeflowError } from '../../../shared/errors.js';
import type { MoJsonOut } from './present.js';

// The XML form of the APIC API, as far as clients need it: imdata responses
// (`<imdata totalCount="1"><fvTenant name="a" …/></imdata>`) and MO bodies in POSTs.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => escapes[ch] ?? ch);
}

function unescape(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? '';
  });
}

function moXml(mo: MoJsonOut): string {
  return Object.entries(mo)
    .map(([cls, body]) => {
      const attrs = Object.entries(body.attributes)
        .map(([k, v]) => ` ${k}="${escape(v)}"`)
        .join('');
      const kids = (body.children ?? []).map(moXml).join('');
      return kids ? `<${cls}${attrs}>${kids}</${cls}>` : `<${cls}${attrs}/>`;
    })
    .join('');
}

export function imdataXml(totalCount: number, imdata: ReadonlyArray<MoJsonOut>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><imdata totalCount="${totalCount}">${imdata.map(moXml).join('')}</imdata>`;
}

export class XmlSyntaxError extends ChangeflowError {
  override readonly name = 'XmlSyntaxError' as const;
}

/** Parses one XML document into its root element (declaration, comments and text are skipped). */
export function parseXml(text: string): XmlElement {
  let pos = 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at offset ${pos}`);
  };
  const skipMisc = (): void => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos] ?? '')) pos++;
      if (text.startsWith('<?', pos)) pos = text.indexOf('?>', pos) + 2;
      else if (text.startsWith('<!--', pos)) pos = text.indexOf('-->', pos) + 3;
      else return;
      if (pos < 2) fail('unterminated declaration or comment');
    }
  };
  const element = (): XmlElement => {
    if (text[pos] !== '<') fail('expected <');
    pos++;
    const name = /^[A-Za-z_][\w.-]*/.exec(text.slice(pos))?.[0] ?? fail('expected an element name');
    pos += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(text[pos] ?? '')) pos++;
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return { name, attrs, children: [] };
      }
      if (text[pos] === '>') {
        pos++;
        break;
      }
      const m = /^([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(pos)) ?? fail('expected an attribute');
      attrs[m[1] ?? ''] = unescape(m[3] ?? m[4] ?? '');
      pos += m[0].length;
    }
    const children: XmlElement[] = [];
    for (;;) {
      skipMisc();
      const textEnd = text.indexOf('<', pos);
      if (textEnd < 0) fail(`unterminated element ${name}`);
      pos = textEnd;
      if (text.startsWith(`</${name}`, pos)) {
        pos = text.indexOf('>', pos) + 1;
        return { name, attrs, children };
      }
      children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (pos < text.length) fail('trailing content');
  return root;
}
