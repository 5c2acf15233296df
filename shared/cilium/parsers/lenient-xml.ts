// A small, forgiving XML reader for connectivity-test JUnit files. cilium-cli writes one
// `failureMessage` attribute per failed action under the same name (Go's encoding/xml walks the
// slice), which strict parsers reject as not well-formed; here duplicates are kept in order.
// Truncated files (the run was killed) close what is open and say so.

export interface XmlElement {
  readonly name: string;
  /** Every attribute in document order; a name may repeat. */
  readonly attrs: Array<[string, string]>;
  readonly children: XmlElement[];
  text: string;
}

export interface XmlDocument {
  readonly root: XmlElement;
  /** Elements were still open at the end of the input. */
  readonly truncated: boolean;
}

const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return named[ref] ?? whole;
  });
}

function element(name: string): XmlElement {
  return { name, attrs: [], children: [], text: '' };
}

function skipPast(text: string, from: number, end: string): number {
  const at = text.indexOf(end, from);
  return at < 0 ? text.length : at + end.length;
}

export function readXmlLeniently(text: string): XmlDocument {
  const root = element('#document');
  const stack: XmlElement[] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '<') {
      const next = text.indexOf('<', i);
      const end = next < 0 ? text.length : next;
      top().text += decodeEntities(text.slice(i, end));
      i = end;
    } else if (text.startsWith('<!--', i)) {
      i = skipPast(text, i + 4, '-->');
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      top().text += text.slice(i + 9, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end + 3;
    } else if (text.startsWith('<?', i)) {
      i = skipPast(text, i + 2, '?>');
    } else if (text.startsWith('<!', i)) {
      i = skipPast(text, i + 2, '>');
    } else if (text.startsWith('</', i)) {
      const end = skipPast(text, i + 2, '>');
      const name = text.slice(i + 2, end - 1).trim();
      const depth = stack.map((e) => e.name).lastIndexOf(name);
      if (depth > 0) stack.length = depth; // a stray close tag is ignored
      i = end;
    } else {
      i = readTag(text, i + 1, stack);
    }
  }
  return { root, truncated: stack.length > 1 };
}

/** Reads `name attr="v" …>` or `…/>` starting after `<`; returns the index after the tag. */
function readTag(text: string, start: number, stack: XmlElement[]): number {
  const nameMatch = /^[^\s/>]+/.exec(text.slice(start, start + 256));
  if (!nameMatch) {
    (stack[stack.length - 1] as XmlElement).text += '<';
    return start;
  }
  const el = element(nameMatch[0]);
  (stack[stack.length - 1] as XmlElement).children.push(el);
  let i = start + nameMatch[0].length;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('/>', i)) return i + 2;
    if (text[i] === '>') {
      stack.push(el);
      return i + 1;
    }
    const attrName = /^[^\s=/>]+/.exec(text.slice(i, i + 256))?.[0];
    if (!attrName) {
      i++;
      continue;
    }
    i += attrName.length;
    while (/\s/.test(text[i] ?? '')) i++;
    let value = '';
    if (text[i] === '=') {
      i++;
      while (/\s/.test(text[i] ?? '')) i++;
      const quote = text[i];
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(quote, i + 1);
        value = text.slice(i + 1, end < 0 ? text.length : end);
        i = end < 0 ? text.length : end + 1;
      } else {
        const raw = /^[^\s>]*/.exec(text.slice(i))?.[0] ?? '';
        value = raw;
        i += raw.length;
      }
    }
    el.attrs.push([attrName, decodeEntities(value)]);
  }
  stack.push(el); // input ended inside the tag
  return i;
}

export function attrOf(el: XmlElement, name: string): string | undefined {
  return el.attrs.find(([n]) => n === name)?.[1];
}

export function attrsOf(el: XmlElement, name: string): string[] {
  return el.attrs.filter(([n]) => n === name).map(([, v]) => v);
}

export function descendants(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}
