import { ApicAuthFailed } from './errors.js';
import { firstAttributes, type ApicEnvelope } from './envelope.js';

// The APIC token: one login shared by every concurrent caller, refreshed proactively once
// `refreshAt` of refreshTimeoutSeconds has passed, dropped on a 403 so the next call logs in.

export type Exchange = (method: 'GET' | 'POST', path: string, body: string | undefined, token: string | undefined) => Promise<ApicEnvelope>;

export interface SessionInfo {
  token: string;
  refreshTimeoutSeconds: number;
  version: string;
  issuedAt: number;
}

export interface TokenCounters {
  logins: number;
  refreshes: number;
}

export class TokenSession {
  private current: SessionInfo | undefined;
  private inFlight: Promise<SessionInfo> | undefined;
  readonly counters: TokenCounters = { logins: 0, refreshes: 0 };

  constructor(
    private readonly exchange: Exchange,
    private readonly username: string,
    private readonly password: string,
    private readonly refreshAt: number,
    private readonly now: () => number,
  ) {}

  get info(): SessionInfo | undefined {
    return this.current;
  }

  /** A live token: logs in or refreshes first when needed; concurrent callers share one call. */
  async token(): Promise<string> {
    const s = this.current;
    if (s && this.now() - s.issuedAt < s.refreshTimeoutSeconds * 1000 * this.refreshAt) return s.token;
    this.inFlight ??= (s ? this.refresh(s) : this.login()).finally(() => {
      this.inFlight = undefined;
    });
    return (await this.inFlight).token;
  }

  /** Forgets a token the APIC rejected, unless another caller already replaced it. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  async logout(): Promise<void> {
    const s = this.current;
    this.current = undefined;
    if (s) await this.exchange('POST', '/api/aaaLogout.json', JSON.stringify({ aaaUser: { attributes: { name: this.username } } }), s.token);
  }

  private adopt(attrs: Record<string, string> | undefined, fallbackVersion: string, what: string): SessionInfo {
    const token = attrs?.token;
    if (!token) throw new ApicAuthFailed(`expected a token in the ${what} answer, found none; check the APIC URL points at an APIC`);
    const ttl = Number(attrs.refreshTimeoutSeconds ?? '300');
    this.current = {
      token,
      refreshTimeoutSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 300,
      version: attrs.version ?? fallbackVersion,
      issuedAt: this.now(),
    };
    return this.current;
  }

  private async login(): Promise<SessionInfo> {
    this.counters.logins++;
    const body = JSON.stringify({ aaaUser: { attributes: { name: this.username, pwd: this.password } } });
    const envelope = await this.exchange('POST', '/api/aaaLogin.json', body, undefined);
    return this.adopt(firstAttributes(envelope, 'aaaLogin'), '', 'aaaLogin');
  }

  private async refresh(s: SessionInfo): Promise<SessionInfo> {
    this.counters.refreshes++;
    try {
      const envelope = await this.exchange('GET', '/api/aaaRefresh.json', undefined, s.token);
      return this.adopt(firstAttributes(envelope, 'aaaLogin', 'aaaRefresh'), s.version, 'aaaRefresh');
    } catch (err) {
      // A refresh that comes too late is a 403: start over with a login.
      if ((err as { status?: number }).status === 403) {
        this.current = undefined;
        return this.login();
      }
      throw err;
    }
  }
}
