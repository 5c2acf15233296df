import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { httpApi } from '../../../functions/runtime/http.js';
import { pageNegotiation, wantsPage } from '../../../functions/runtime/page-negotiation.js';
import { createLogger } from '../../../functions/runtime/logger.js';
import { manualChangeId } from '../../../functions/start-change.js';
import { executionArnOf } from '../../../functions/runtime/start-execution.js';
import { parseChangeRequest } from '../../../shared/spec/index.js';

// The routes that also serve a page negotiate with @middy/http-content-negotiation (pageNegotiation,
// httpApi's `negotiate`): the page only when the client ranks text/html above JSON.
const negotiated = middy(async (_event: unknown, context: unknown) => wantsPage(context)).use(httpApi(createLogger({ logLevel: 'SILENT' }), { negotiate: pageNegotiation() }));
const prefersHtml = (accept: string | undefined): Promise<boolean> => negotiated({ headers: accept === undefined ? {} : { Accept: accept } } as never, {} as never);

describe('content negotiation of the page routes (GET /, /changes, /changes/{id})', () => {
  it.for<[string | undefined, boolean]>([
    [undefined, false],
    ['*/*', false],
    ['application/json', false],
    ['text/html', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['application/json, text/html', false],
    ['text/html;q=0.5, application/json', false],
    ['text/html;q=0, */*', false],
    ['text/*, application/json;q=0.1', true],
  ])('Accept %j → html %s', async ([accept, html]) => {
    expect(await prefersHtml(accept)).toBe(html);
  });
});

describe('manual change ids', () => {
  const request = parseChangeRequest({
    source: 'cli',
    requestedBy: 'alice',
    spec: 'apiVersion: changeflow/v1\nkind: ChangeSpec\ntarget: { site: dc1, fabric: dc1-aci, cluster: prod-a }\naci: { tenant: t, vrf: v, l3out: l, physDomain: p, fabricAsn: 65001 }\nchanges:\n  - { type: loadBalancerPool, name: pool-x, blocks: ["10.0.12.0/24"], serviceSelector: { color: x }, externalEpg: e }\n',
  });

  it('are the source plus a hash of the request, the same for the same document, or the Idempotency-Key', () => {
    if (!request.ok) throw new Error(JSON.stringify(request.issues));
    const id = manualChangeId(request.request, undefined);
    expect(id).toMatch(/^cli-[0-9a-f]{16}$/);
    expect(manualChangeId({ ...request.request }, undefined)).toBe(id);
    expect(manualChangeId({ ...request.request, requestedBy: 'bob' }, undefined)).not.toBe(id);
    expect(manualChangeId(request.request, 'run-2')).toBe('cli-run-2');
  });

  it('name the execution whose ARN the reply gives', () => {
    expect(executionArnOf('arn:aws:states:us-east-1:000000000000:stateMachine:changeflow-change', 'cli-run-2')).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:changeflow-change:cli-run-2',
    );
  });
});
