import { describe, expect, it } from 'vitest';
import { imdataXml, parseXml, XmlSyntaxError } from '../../../local/lab/apic/xml.js';
import { parseBody } from '../../../local/lab/apic/body.js';
import { ApicLabError } from '../../../local/lab/apic/lab-error.js';

describe('APIC XML', () => {
  it('serialises imdata with totalCount and escaped attributes', () => {
    const xml = imdataXml(1, [{ fvTenant: { attributes: { dn: 'uni/tn-a', descr: 'a "b" & <c>' }, children: [{ fvCtx: { attributes: { name: 'v' } } }] } }]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><imdata totalCount="1"><fvTenant dn="uni/tn-a" descr="a &quot;b&quot; &amp; &lt;c&gt;"><fvCtx name="v"/></fvTenant></imdata>',
    );
  });

  it('parses a nested POST body into the same shape as JSON', () => {
    const xmlBody = parseBody('<?xml version="1.0"?>\n<fvTenant name="a" descr="x &amp; y">\n  <fvCtx name="v"/>\n</fvTenant>', 'xml');
    const jsonBody = parseBody('{"fvTenant":{"attributes":{"name":"a","descr":"x & y"},"children":[{"fvCtx":{"attributes":{"name":"v"}}}]}}', 'json');
    expect(xmlBody).toEqual(jsonBody);
  });

  it('round-trips what it writes', () => {
    const el = parseXml(imdataXml(0, [{ l3extSubnet: { attributes: { ip: '10.0.0.0/24', scope: 'import-security' } } }]));
    expect(el.name).toBe('imdata');
    expect(el.children[0]?.attrs).toEqual({ ip: '10.0.0.0/24', scope: 'import-security' });
  });

  it('reports malformed XML and JSON the way APIC does (400)', () => {
    expect(() => parseXml('<fvTenant name="a">')).toThrow(XmlSyntaxError);
    expect(() => parseBody('<fvTenant name="a">', 'xml')).toThrow(ApicLabError);
    const err = caught(() => parseBody('{"fvTenant":{"attributes":{"name":"a"}', 'json'));
    expect(err).toBeInstanceOf(ApicLabError);
    expect((err as ApicLabError).code).toBe('400');
    expect((err as ApicLabError).text).toMatch(/^JSON parsing failed/);
  });
});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
