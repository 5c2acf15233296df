import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../side-door.js';
import { parseBody } from './body.js';
import { ApicLabError, apicErrors } from './lab-error.js';
import type { MoJsonOut } from './present.js';
import { runQuery, type QueryResult, type QueryTarget } from './query.js';
import { tokenFrom } from './session.js';
import { isSigned, signedRequestUser } from './signature-auth.js';
import type { ApicLabState } from './state.js';
import { applyDelete, applyPost } from './write.js';
import { imdataXml } from './xml.js';
import { systemClock } from '../../../shared/runtime/clock.js';

// The APIC REST surface: /api/aaaLogin|aaaRefresh|aaaLogout, /api/[node/]mo/<dn>,
// /api/[node/]class/[<dn>/]<class>, each with a .json or .xml suffix; faults and the token
// timeout are decided here before the request reaches the tree.

type Format = 'json' | 'xml';
export type ApiRoute =
  | { kind: 'login'; format: Format }
  | { kind: 'refresh'; format: Format }
  | { kind: 'logout'; format: Format }
  | { kind: 'mo'; dn: string; format: Format }
  | { kind: 'class'; target: QueryTarget; format: Format };

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (err) {
    if (err instanceof URIError) return text;
    throw err;
  }
}

export function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    out[key] = decode(eq < 0 ? '' : pair.slice(eq + 1));
  }
  return out;
}

export function parseRoute(rawPath: string): ApiRoute | undefined {
  const m = /^\/api\/(.+)\.(json|xml)$/.exec(rawPath);
  if (!m) return undefined;
  const format = m[2] as Format;
  const rest = decode(m[1] ?? '');
  if (rest === 'aaaLogin') return { kind: 'login', format };
  if (rest === 'aaaRefresh') return { kind: 'refresh', format };
  if (rest === 'aaaLogout') return { kind: 'logout', format };
  const path = rest.replace(/^node\//, '');
  if (path.startsWith('mo/')) return { kind: 'mo', dn: path.slice(3), format };
  if (path.startsWith('class/')) {
    const classPath = path.slice(6);
    const slash = classPath.lastIndexOf('/');
    if (slash < 0) return { kind: 'class', target: { kind: 'class', className: classPath }, format };
    return { kind: 'class', target: { kind: 'class', className: classPath.slice(slash + 1), scopeDn: classPath.slice(0, slash) }, format };
  }
  return undefined;
}

function reply(res: ServerResponse, status: number, format: Format, result: QueryResult, headers: Record<string, string> = {}): void {
  const body =
    format === 'xml'
      ? imdataXml(result.totalCount, result.imdata)
      : JSON.stringify({ totalCount: String(result.totalCount), imdata: result.imdata });
  res.writeHead(status, { 'content-type': format === 'xml' ? 'application/xml' : 'application/json', ...headers });
  res.end(body);
}

function replyError(res: ServerResponse, err: ApicLabError, format: Format): void {
  const imdata: MoJsonOut[] = [{ error: { attributes: { code: err.code, text: err.text } } }];
  reply(res, err.httpStatus, format, { totalCount: 1, imdata });
}

/** The HTML page a loaded or throttling APIC front end answers with (clients must not parse it as JSON). */
function replyHtml(res: ServerResponse, status: number, title: string): void {
  res.writeHead(status, { 'content-type': 'text/html' });
  res.end(`<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
}

const sleep = (ms: number): Promise<void> => systemClock.sleep(ms);

export async function handleApi(state: ApicLabState, req: IncomingMessage, res: ServerResponse, rawPath: string, search: string): Promise<void> {
  const method = req.method ?? 'GET';
  const route = parseRoute(rawPath);
  const format: Format = route?.format ?? 'json';
  const action = route && route.kind !== 'mo' && route.kind !== 'class' ? route.kind : method.toLowerCase();
  const fault = state.faults.take('apic', action);
  if (state.latencyMs > 0) await sleep(state.latencyMs);
  if (fault === 'slow') await sleep(1000);
  if (fault === 'http503') return replyHtml(res, 503, 'Service Temporarily Unavailable');
  if (fault === 'http405') return replyHtml(res, 405, 'Not Allowed');
  try {
    if (!route) throw apicErrors.badRequest(`Invalid request: ${method} ${rawPath} is not an API route (use /api/mo/<dn>.json or /api/class/<class>.json)`);
    if (route.kind === 'login') {
      if (method !== 'POST') throw apicErrors.badRequest('aaaLogin expects POST');
      const body = parseBody(await readBody(req), format);
      const { name, pwd } = body.attrs;
      if (body.className !== 'aaaUser' || name !== state.username || pwd !== state.password) throw apicErrors.badLogin();
      const token = state.sessions.login(name);
      return reply(res, 200, format, { totalCount: 1, imdata: [state.loginMo('aaaLogin', token)] }, {
        'set-cookie': `APIC-cookie=${token}; path=/; HttpOnly; SameSite=Strict`,
      });
    }

    // Read once: a signed request's signature covers the body as sent.
    const bodyText = method === 'POST' ? await readBody(req) : '';
    if (isSigned(req.headers.cookie)) {
      signedRequestUser(state.mit, req.headers.cookie, method, req.url ?? `${rawPath}${search}`, bodyText);
      if (route.kind === 'refresh' || route.kind === 'logout') throw apicErrors.badRequest(`${route.kind === 'refresh' ? 'aaaRefresh' : 'aaaLogout'} needs a session token; a signed request has none`);
    } else {
      const token = tokenFrom(req.headers.cookie, req.headers['apic-challenge'] as string | undefined);
      if (state.tokenFaultFires()) state.sessions.expire(token);
      if (!state.sessions.check(token) || token === undefined) throw apicErrors.tokenTimeout();

      if (route.kind === 'refresh') {
        const fresh = state.sessions.refresh(token) ?? token;
        return reply(res, 200, format, { totalCount: 1, imdata: [state.loginMo('aaaLogin', fresh)] }, {
          'set-cookie': `APIC-cookie=${fresh}; path=/; HttpOnly; SameSite=Strict`,
        });
      }
      if (route.kind === 'logout') {
        state.sessions.expire(token);
        return reply(res, 200, format, { totalCount: 0, imdata: [] });
      }
    }

    const query = parseQuery(search);
    if (method === 'GET') {
      state.syncOperational();
      const target: QueryTarget = route.kind === 'mo' ? { kind: 'mo', dn: state.canonical(route.dn) } : route.target;
      return reply(res, 200, format, runQuery(state.mit, target, query));
    }
    if (route.kind !== 'mo') throw apicErrors.badRequest(`${method} is not supported on class queries`);
    if (method === 'POST') {
      if (fault === 'error') throw apicErrors.invalidConfig('injected fault apic.post=error');
      const body = parseBody(bodyText, format);
      const result = applyPost(state.mit, route.dn, body, state.nowTs());
      state.backups.onCommit(result.changes);
      const modified = query['rsp-subtree'] === 'modified' ? result.modified : [];
      return reply(res, 200, format, { totalCount: modified.length, imdata: modified });
    }
    if (method === 'DELETE') {
      applyDelete(state.mit, route.dn);
      return reply(res, 200, format, { totalCount: 0, imdata: [] });
    }
    throw apicErrors.badRequest(`Invalid request: method ${method} is not supported (only GET, POST, DELETE)`);
  } catch (err) {
    if (err instanceof ApicLabError) return replyError(res, err, format);
    throw err;
  }
}
