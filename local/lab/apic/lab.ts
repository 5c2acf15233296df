import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultBook } from '../faults.js';
import { handleSideDoor, type RequestStats } from '../side-door.js';
import type { MitReader } from './mit.js';
import type { EndpointIpProvider, OperationalProvider } from './operational.js';
import { dumpPolicy } from './policy-scope.js';
import { handleApi } from './routes.js';
import { localUserDn } from '../../../shared/aci/model/dns.js';
import { seedScaleScenario } from './scale-seed.js';
import { seedMo, seedScenario, type ScenarioName } from './scenario.js';
import { seedFromDir } from './seed-dir.js';
import { ApicLabState } from './state.js';
import { systemClock } from '../../../shared/runtime/clock.js';

// The APIC lab emulator: one HTTP server on 127.0.0.1 speaking the APIC REST API over an
// in-memory tree seeded from a scenario or captured imdata, plus the /_lab/ side door.

export interface ApicLabOptions {
  port?: number;
  scenario?: ScenarioName;
  /** Captured imdata JSON files to seed from instead of a scenario (`--lab-seed DIR`). */
  seedDir?: string;
  faults?: FaultBook;
  username?: string;
  password?: string;
  /** refreshTimeoutSeconds: a token not refreshed within this answers 403. Default 600. */
  tokenTtlSeconds?: number;
  /** Added to every API answer. */
  latencyMs?: number;
  /** How long a snapshot or import job takes. Default 1000 ms; tests use 0–50. */
  backupDelayMs?: number;
  /** The clock login tokens time out by (epoch ms); tests move one instead of waiting out a TTL. */
  tokenClock?: () => number;
}

export interface ApicLab {
  url: string;
  username: string;
  password: string;
  /** In-process reads; operational MOs are brought up to date first. */
  mit: MitReader;
  /** The policy tree under uni/ without backups, snapshots and volatile attributes. */
  dump(): Record<string, Record<string, Record<string, string>>>;
  /** Changes whenever the policy tree does: readers of dump() may keep what they derived until then. */
  policyVersion(): number;
  /** Lets the lab world decide BGP neighbours and their session state. */
  setOperationalProvider(provider: OperationalProvider | undefined): void;
  /** Lets the lab world say which service IPs a node's endpoint answers ARP for (L2 announcements). */
  setEndpointIpProvider(provider: EndpointIpProvider | undefined): void;
  faults: FaultBook;
  stats: RequestStats;
  /** Resolves when no snapshot/import job is pending. */
  jobsSettled(): Promise<void>;
  close(): Promise<void>;
}

export async function startApicLab(opts: ApicLabOptions = {}): Promise<ApicLab> {
  const state = new ApicLabState({
    faults: opts.faults ?? new FaultBook(),
    username: opts.username ?? 'admin',
    password: opts.password ?? 'lab-password',
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 600,
    latencyMs: opts.latencyMs ?? 0,
    backupDelayMs: opts.backupDelayMs ?? 1000,
    tokenClock: opts.tokenClock,
  });
  if (opts.seedDir) await seedFromDir(state.mit, opts.seedDir, state.nowTs());
  else if (opts.scenario === 'scale') seedScaleScenario(state.mit, state.nowTs());
  else seedScenario(state.mit, opts.scenario ?? 'default', state.nowTs());
  // Every APIC has its local admin user; a user certificate for signature auth goes under it.
  if (!state.mit.get('uni/userext')) seedMo(state.mit, 'aaaUserEp', 'uni/userext', {}, state.nowTs());
  const user = localUserDn(state.username);
  if (!state.mit.get(user)) seedMo(state.mit, 'aaaUser', user, { name: state.username }, state.nowTs());
  state.syncOperational();

  const door = { dump: () => dumpPolicy(state.mit), faults: state.faults, stats: state.stats };
  const server: Server = createServer((req, res) => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const search = q < 0 ? '' : raw.slice(q);
    const done = path.startsWith('/_lab/')
      ? handleSideDoor(req, res, path, door)
      : (state.stats.track(req, res), handleApi(state, req, res, path, search));
    Promise.resolve(done).catch((err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ totalCount: '1', imdata: [{ error: { attributes: { code: '500', text: `lab internal error: ${text}` } } }] }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const mit: MitReader = {
    get: (dn) => (state.syncOperational(), state.mit.get(dn)),
    byClass: (cls) => (state.syncOperational(), state.mit.byClass(cls)),
    children: (dn) => (state.syncOperational(), state.mit.children(dn)),
  };
  return {
    url: `http://127.0.0.1:${port}`,
    username: state.username,
    password: state.password,
    mit,
    dump: () => dumpPolicy(state.mit),
    policyVersion: () => state.mit.policyVersion,
    setOperationalProvider: (p) => state.operational.setProvider(p),
    setEndpointIpProvider: (p) => state.operational.setEndpointIpProvider(p),
    faults: state.faults,
    stats: state.stats,
    jobsSettled: async () => {
      while (state.backups.pending > 0) await systemClock.sleep(5);
    },
    close: async () => {
      state.backups.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
