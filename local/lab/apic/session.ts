import { randomBytes } from 'node:crypto';

// APIC sessions: aaaLogin issues a token (also the APIC-cookie), aaaRefresh issues a fresh one,
// and a token older than refreshTimeoutSeconds since its issue is rejected with 403.

interface Session {
  user: string;
  issuedAt: number;
  loginAt: number;
}

export class Sessions {
  private tokens = new Map<string, Session>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get refreshTimeoutSeconds(): number {
    return this.ttlSeconds;
  }

  login(user: string): string {
    const token = randomBytes(24).toString('base64url');
    const now = this.clock();
    this.tokens.set(token, { user, issuedAt: now, loginAt: now });
    return token;
  }

  /** The user of a live token, or undefined when it is unknown or timed out. */
  check(token: string | undefined): string | undefined {
    if (!token) return undefined;
    const s = this.tokens.get(token);
    if (!s) return undefined;
    if (this.clock() - s.issuedAt > this.ttlSeconds * 1000) {
      this.tokens.delete(token);
      return undefined;
    }
    return s.user;
  }

  refresh(token: string): string | undefined {
    const s = this.tokens.get(token);
    if (!s || !this.check(token)) return undefined;
    const fresh = randomBytes(24).toString('base64url');
    this.tokens.set(fresh, { user: s.user, issuedAt: this.clock(), loginAt: s.loginAt });
    return fresh;
  }

  expire(token: string | undefined): void {
    if (token) this.tokens.delete(token);
  }

  loginTime(token: string): number | undefined {
    return this.tokens.get(token)?.loginAt;
  }
}

/** The APIC-cookie from a Cookie header; clients may echo the whole Set-Cookie line back. */
export function tokenFrom(cookieHeader: string | undefined, challenge?: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'APIC-cookie') return v.join('=');
  }
  return challenge || undefined;
}
