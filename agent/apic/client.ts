import * as z from '../../shared/zod.js';
import type { ApicRequest, MoJson } from '../../shared/plan/plan-op.js';
import { systemClock, type Clock } from '../../shared/runtime/clock.js';
import { backoffDelay, retry } from '../../shared/runtime/retry.js';
import { ApicRetry, isTransientStatus } from './backoff.js';
import { readEnvelope, type ApicEnvelope } from './envelope.js';
import { ApicApplyFailed, ApicAuthFailed, ApicError, ApicUnavailable } from './errors.js';
import { safeApiPath, safeQueryString } from './path-safety.js';
import { signatureCookie, type SignatureAuth } from './signature.js';
import { TokenSession, type SessionInfo } from './token-session.js';

// The APIC REST client the bastion agent uses: token login shared by concurrent callers and
// refreshed before it times out, one re-login on 403, every answer's envelope checked (200 with
// an error is a failure), retries with backoff on throttling/overload within a deadline.

export const ApicClientSettings = z.object({
  url: z.url(),
  username: z.string().check(z.minLength(1)),
  password: z._default(z.string(), ''),
  /** Per HTTP attempt. */
  timeoutMs: z._default(z.int().check(z.positive()), 30_000),
  /** Per call, retries included. */
  deadlineMs: z._default(z.int().check(z.positive()), 120_000),
  retry: z._default(ApicRetry, ApicRetry.parse({})),
  /** Refresh the token once this fraction of refreshTimeoutSeconds has passed (pyaci: 60 %). */
  refreshAt: z._default(z.number().check(z.gt(0), z.lt(1)), 0.6),
});
export interface ApicClientDeps {
  fetch?: typeof fetch;
  /** Waits between retries and measures the deadline (`now` overrides its reading of time). */
  clock?: Clock;
  now?: () => number;
  random?: () => number;
  /** Certificate auth instead of login (optional). */
  signature?: SignatureAuth;
}

export type ApicClientOptions = z.input<typeof ApicClientSettings> & ApicClientDeps;

export type Query = Record<string, string | number | undefined>;

export interface ApicStats {
  requests: number;
  byMethod: Record<string, number>;
  logins: number;
  refreshes: number;
  relogins: number;
  retries: number;
}

export interface ApicClient {
  get(path: string, query?: Query): Promise<ApicEnvelope>;
  /** GET /api/mo/<dn>.json */
  mo(dn: string, query?: Query): Promise<MoJson[]>;
  /** GET /api/class/<class>.json */
  cls(className: string, query?: Query): Promise<MoJson[]>;
  /** Every page of a query (page-size pages, 0-based), as one list. */
  getAll(path: string, query?: Query, pageSize?: number): Promise<MoJson[]>;
  post(dn: string, body: MoJson, query?: Query): Promise<ApicEnvelope>;
  delete(dn: string): Promise<ApicEnvelope>;
  /** Runs POST/DELETE requests in order; stops at the first failure with ApicApplyFailed. */
  apply(requests: ReadonlyArray<ApicRequest>): Promise<{ applied: number }>;
  /** The session (token, refreshTimeoutSeconds, APIC version from the login answer). */
  login(): Promise<SessionInfo>;
  logout(): Promise<void>;
  stats(): ApicStats;
  resetStats(): void;
}

type Outcome = { kind: 'ok'; envelope: ApicEnvelope } | { kind: 'fatal'; error: Error } | { kind: 'transient'; problem: string; cause?: unknown };

/** An attempt worth repeating (throttling, overload, garbled answer); never leaves this module. */
class TransientAnswer extends Error {
  override readonly name = 'TransientAnswer';
  constructor(readonly problem: string, readonly reason?: unknown) {
    super(problem);
  }
}

export function createApicClient(options: ApicClientOptions): ApicClient {
  const { fetch: customFetch, clock: customClock, now: customNow, random, signature, ...settings } = options;
  const deps: ApicClientDeps = { fetch: customFetch, clock: customClock, now: customNow, random, signature };
  const opts = ApicClientSettings.parse(settings);
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  const now = deps.now ?? (() => clock.now());
  const base = opts.url.replace(/\/+$/, '');
  const counters = { requests: 0, byMethod: {} as Record<string, number>, relogins: 0, retries: 0 };

  async function attempt(method: string, pathWithQuery: string, body: string | undefined, cookie: string | undefined, budgetMs: number): Promise<Outcome> {
    counters.requests++;
    counters.byMethod[method] = (counters.byMethod[method] ?? 0) + 1;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (cookie) headers.cookie = cookie;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}${pathWithQuery}`, { method, headers, body, signal: AbortSignal.timeout(Math.max(1, Math.min(opts.timeoutMs, budgetMs))) });
      text = await res.text();
    } catch (err) {
      return { kind: 'transient', problem: (err as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : `network error: ${(err as Error).message}`, cause: err };
    }
    const reading = readEnvelope(res.status, res.headers.get('content-type') ?? '', text);
    if (reading.kind === 'garbled') return { kind: 'transient', problem: reading.problem };
    if (reading.kind === 'error') {
      if (isTransientStatus(res.status)) return { kind: 'transient', problem: `HTTP ${res.status} error ${reading.code}: ${reading.text}` };
      if (res.status === 401) return { kind: 'fatal', error: new ApicAuthFailed(`APIC refused the login for ${opts.username}: ${reading.text}; check the username and password`) };
      return { kind: 'fatal', error: new ApicError(res.status, reading.code, reading.text, method, pathWithQuery) };
    }
    if (res.status !== 200) return isTransientStatus(res.status)
      ? { kind: 'transient', problem: `HTTP ${res.status}` }
      : { kind: 'fatal', error: new ApicError(res.status, String(res.status), `HTTP ${res.status} without an error body`, method, pathWithQuery) };
    return { kind: 'ok', envelope: reading.envelope };
  }

  /** One logical call: retries transient failures with backoff until the deadline. */
  async function withRetries(method: string, pathWithQuery: string, body: string | undefined, cookie: () => string | undefined): Promise<ApicEnvelope> {
    const deadline = now() + opts.deadlineMs;
    return retry(
      async () => {
        const outcome = await attempt(method, pathWithQuery, body, cookie(), deadline - now());
        if (outcome.kind === 'ok') return outcome.envelope;
        if (outcome.kind === 'fatal') throw outcome.error;
        throw new TransientAnswer(outcome.problem, outcome.cause);
      },
      {
        policy: opts.retry,
        deadline,
        clock: { now, sleep: (ms, signal) => clock.sleep(ms, signal) },
        random: deps.random,
        retryable: (err) => err instanceof TransientAnswer,
        exhausted: (last, attempts) => {
          const t = last as TransientAnswer;
          return new ApicUnavailable(method, pathWithQuery, attempts, t.problem, { cause: t.reason });
        },
        onRetry: () => void counters.retries++,
      },
    );
  }

  const session = new TokenSession(
    (method, path, body, token) => withRetries(method, path, body, () => (token ? `APIC-cookie=${token}` : undefined)),
    opts.username,
    opts.password,
    opts.refreshAt,
    now,
  );

  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, query?: Query, body?: string): Promise<ApicEnvelope> {
    // Checked before anything is sent: a DN or option that could escape its URL is refused.
    const pathWithQuery = `${safeApiPath(path)}${safeQueryString(query)}`;
    if (deps.signature) {
      const sig = deps.signature;
      // The APIC verifies the request target it receives: sign it as fetch will send it (the URL
      // parser percent-encodes what the query may not hold literally, e.g. ' → %27).
      const sent = new URL(`${base}${pathWithQuery}`);
      const wire = `${sent.pathname}${sent.search}`;
      return withRetries(method, pathWithQuery, body, () => signatureCookie(sig, method, wire, body ?? ''));
    }
    for (let relogged = false; ; relogged = true) {
      const token = await session.token();
      try {
        return await withRetries(method, pathWithQuery, body, () => `APIC-cookie=${token}`);
      } catch (err) {
        if (!(err instanceof ApicError) || err.status !== 403) throw err;
        if (relogged) throw new ApicAuthFailed(`APIC rejected a fresh token for ${method} ${path} (${err.text}); check the user's rights and the APIC's login throttle`);
        counters.relogins++;
        session.invalidate(token);
      }
    }
  }

  const dnPath = (dn: string): string => `/api/mo/${dn}.json`;

  const client: ApicClient = {
    get: (path, query) => call('GET', path, query),
    mo: async (dn, query) => (await call('GET', dnPath(dn), query)).imdata,
    cls: async (className, query) => (await call('GET', `/api/class/${className}.json`, query)).imdata,
    async getAll(path, query, pageSize = 500) {
      const out: MoJson[] = [];
      for (let page = 0, busy = 0; ; ) {
        const envelope = await call('GET', path, { ...query, page, 'page-size': pageSize });
        out.push(...envelope.imdata);
        if (out.length >= envelope.totalCount) return out;
        if (envelope.imdata.length > 0) {
          page++;
          busy = 0;
          continue;
        }
        // An APIC under load can answer an empty page while totalCount says more exist.
        if (++busy >= opts.retry.maxAttempts) throw new ApicUnavailable('GET', path, busy, `empty page ${page} of ${envelope.totalCount}: APIC may be too busy`);
        counters.retries++;
        await clock.sleep(backoffDelay(opts.retry, busy, deps.random));
      }
    },
    post: (dn, body, query) => call('POST', dnPath(dn), query, JSON.stringify(body)),
    delete: (dn) => call('DELETE', dnPath(dn)),
    async apply(requests) {
      let applied = 0;
      for (const [i, r] of requests.entries()) {
        try {
          if (r.method === 'POST') await client.post(r.dn, r.body ?? {});
          else await client.delete(r.dn);
        } catch (err) {
          throw new ApicApplyFailed(applied, i, r.dn, err);
        }
        applied++;
      }
      return { applied };
    },
    async login() {
      // A signed client never logs in; asking it to is a caller's mistake, not a request to send.
      if (deps.signature) throw new ApicAuthFailed(`${opts.username} authenticates with certificate ${deps.signature.certificateDn}: there is no login session`);
      await session.token();
      const info = session.info;
      if (!info) throw new ApicAuthFailed('expected a session after login, found none');
      return info;
    },
    logout: () => session.logout(),
    stats: () => ({ requests: counters.requests, byMethod: { ...counters.byMethod }, ...session.counters, relogins: counters.relogins, retries: counters.retries }),
    resetStats() {
      counters.requests = 0;
      counters.byMethod = {};
      counters.relogins = 0;
      counters.retries = 0;
      session.counters.logins = 0;
      session.counters.refreshes = 0;
    },
  };
  return client;
}
