import { canonicalDn, InvalidRn } from '../../../shared/aci/classes.js';
import type { FaultBook } from '../faults.js';
import { RequestStats } from '../side-door.js';
import { BackupJobs } from './backups.js';
import { Mit } from './mit.js';
import { OperationalState } from './operational.js';
import { resolveRelations } from './relations.js';
import type { MoJsonOut } from './present.js';
import { Sessions } from './session.js';

// Everything one running APIC lab holds, shared by the HTTP routes and the in-process API.

export interface ApicLabStateOptions {
  faults: FaultBook;
  username: string;
  password: string;
  tokenTtlSeconds: number;
  latencyMs: number;
  backupDelayMs: number;
  tokenClock?: () => number;
}

/** APIC's modTs form: 2025-11-23T05:00:00.000+00:00. */
export function apicTimestamp(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

export class ApicLabState {
  readonly mit = new Mit();
  readonly stats = new RequestStats();
  readonly sessions: Sessions;
  readonly operational = new OperationalState(this.mit);
  readonly backups: BackupJobs;
  readonly faults: FaultBook;
  readonly username: string;
  readonly password: string;
  readonly latencyMs: number;

  constructor(opts: ApicLabStateOptions) {
    this.faults = opts.faults;
    this.username = opts.username;
    this.password = opts.password;
    this.latencyMs = opts.latencyMs;
    this.sessions = new Sessions(opts.tokenTtlSeconds, opts.tokenClock);
    this.backups = new BackupJobs(this.mit, { delayMs: opts.backupDelayMs, now: () => new Date() });
  }

  nowTs(): string {
    return apicTimestamp(new Date());
  }

  private syncedAt = -1;

  /**
   * Before every read. Relations are resolved again only when the tree moved since the last sync
   * (a scan of every relation MO); operational MOs always, as the lab world may have changed.
   */
  syncOperational(): void {
    if (this.mit.version !== this.syncedAt) resolveRelations(this.mit);
    this.operational.sync(this.nowTs());
    this.syncedAt = this.mit.version;
  }

  /** Canonical DN when every RN is known; the DN as given otherwise (captured trees may hold other classes). */
  canonical(dn: string): string {
    try {
      return canonicalDn(dn);
    } catch (err) {
      if (err instanceof InvalidRn) return dn;
      throw err;
    }
  }

  /**
   * `apic.token=expire@N`: the Nth authenticated request since the faults were set finds its token
   * timed out. Counted by the fault book, so a fault set at run time counts from then, not from start.
   */
  tokenFaultFires(): boolean {
    return this.faults.takeCheck('apic', 'token') === 'expire';
  }

  apicVersion(): string {
    return this.mit.get('topology/pod-1/node-1/sys/ctrlrfwstatuscont/ctrlrrunning')?.attrs.version ?? '6.1(2f)';
  }

  loginMo(className: 'aaaLogin', token: string): MoJsonOut {
    const login = this.sessions.loginTime(token) ?? Date.now();
    return {
      [className]: {
        attributes: {
          token, siteFingerprint: 'lab-apic', refreshTimeoutSeconds: String(this.sessions.refreshTimeoutSeconds),
          maximumLifetimeSeconds: '86400', guiIdleTimeoutSeconds: '1200', restTimeoutSeconds: '90',
          creationTime: String(Math.floor(Date.now() / 1000)), firstLoginTime: String(Math.floor(login / 1000)),
          userName: this.username, remoteUser: 'false', unixUserId: '15374', sessionId: token.slice(0, 16),
          lastName: '', firstName: '', changePassword: 'no', version: this.apicVersion(), buildTime: 'lab',
          node: 'topology/pod-1/node-1',
        },
        children: [
          { aaaUserDomain: { attributes: { name: 'all', rolesR: 'admin', rolesW: 'admin' } } },
          { DnDomainMapEntry: { attributes: { dn: 'uni/tn-common', readPrivileges: 'admin', writePrivileges: 'admin' } } },
        ],
      },
    };
  }
}
