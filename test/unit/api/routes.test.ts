import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../../cdk/api-routes.js';
import { HttpApiEvent } from '../../../functions/runtime/http.js';
import { toHttpApiEvent } from '../../../local/api/http-event.js';
import { matchRoute } from '../../../local/api/routes.js';

describe('matchRoute', () => {
  it.for(apiRoutes.map((r) => [r.method, r.path.replace('{id}', 'chg-1'), r.handler] as const))(
    'sends %s %s to %s, as the CDK API does',
    ([method, path, handler]) => {
      const match = matchRoute(method, path);
      expect(match.kind === 'route' && match.route.handler).toBe(handler);
    },
  );

  it('gives {id} as a decoded path parameter and keeps the API Gateway route key', () => {
    expect(matchRoute('GET', '/changes/snow-CHG%2D1/events')).toMatchObject({
      kind: 'route',
      routeKey: 'GET /changes/{id}/events',
      pathParameters: { id: 'snow-CHG-1' },
    });
  });

  it('keeps a malformed escape as sent rather than failing the request', () => {
    expect(matchRoute('GET', '/changes/%E0%A4%A')).toMatchObject({ pathParameters: { id: '%E0%A4%A' } });
  });

  it('answers /healthz itself and names the methods a known path takes', () => {
    expect(matchRoute('GET', '/healthz')).toEqual({ kind: 'health' });
    expect(matchRoute('DELETE', '/changes')).toEqual({ kind: 'none', allowed: ['POST', 'GET'] });
    expect(matchRoute('POST', '/webhooks/servicenow/')).toEqual({ kind: 'none', allowed: [] });
    expect(matchRoute('GET', '/changes/a/b')).toEqual({ kind: 'none', allowed: [] });
  });
});

describe('toHttpApiEvent', () => {
  const at = new Date('2026-11-23T10:00:00Z');
  const route = { routeKey: 'POST /webhooks/jira' };

  it('builds a payload v2 event the handlers accept: lower-case headers, query, raw text body', () => {
    const body = Buffer.from('{"a": 1,  "b":"é"}\n');
    const event = toHttpApiEvent(
      { method: 'POST', url: '/webhooks/jira?x=1&x=2&y=', headers: { 'X-Hub-Signature': 'sha256=ab', host: '127.0.0.1:9' }, body, sourceIp: '127.0.0.1' },
      route,
      at,
    );
    expect(HttpApiEvent.parse(event)).toMatchObject({ rawPath: '/webhooks/jira', rawQueryString: 'x=1&x=2&y=', isBase64Encoded: false });
    expect(event.headers).toEqual({ 'x-hub-signature': 'sha256=ab', host: '127.0.0.1:9' });
    expect(event.queryStringParameters).toEqual({ x: '1,2', y: '' });
    expect(event.body).toBe('{"a": 1,  "b":"é"}\n');
    expect(event.requestContext).toMatchObject({ http: { method: 'POST', path: '/webhooks/jira' }, routeKey: 'POST /webhooks/jira', timeEpoch: at.getTime() });
  });

  it('passes bytes that are not UTF-8 base64-encoded, so the signed bytes reach the handler unchanged', () => {
    const body = Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]);
    const event = toHttpApiEvent({ method: 'POST', url: '/webhooks/jira', headers: {}, body, sourceIp: '::1' }, route, at);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64').equals(body)).toBe(true);
  });

  it('leaves the body out when there is none', () => {
    const event = toHttpApiEvent({ method: 'GET', url: '/healthz', headers: {}, body: Buffer.alloc(0), sourceIp: '::1' }, route, at);
    expect(event.body).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
  });
});
