import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultBook } from '../faults.js';
import { handleSideDoor, RequestStats } from '../side-door.js';
import type { PeeringStateProvider } from './bgp-operator.js';
import type { L2Announcement } from './l2-announcer.js';
import { ciliumResources } from './cilium-kinds.js';
import { EmulatedControllers } from './controllers.js';
import { dumpObjects } from './dump.js';
import { handleApi, sendStatus } from './http-api.js';
import type { JsonObject } from './json.js';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
import { LabStore, refOf } from './lab-store.js';
import { listenHttpAndHttps } from './listener.js';
import { ObjectStore } from './object-store.js';
import { ObjectWriter } from './object-writer.js';
import { builtinResources, ResourceRegistry } from './resources.js';
import { scenario as loadScenario, type Scenario } from './scenario.js';
import { seedObjects } from './seeds.js';
import { KubeStatusError } from './status-errors.js';
import { labTls } from './tls.js';
import { systemClock } from '../../../shared/runtime/clock.js';

export interface KubernetesLabOptions {
  port?: number;
  scenario?: string;
  faults?: FaultBook;
  token?: string;
  /** Where the kubeconfig goes (`<dataDir>/kubeconfig`); a fresh temp dir when omitted. */
  dataDir?: string;
  /** Added to every API response, to make slow-control-plane behaviour visible. */
  latencyMs?: number;
  /** How long an emulated rollout (ds/deploy restart) takes to finish. */
  rolloutDelayMs?: number;
  /** How often the emulated agents re-report BGP status (the world may change it without writes). */
  resyncMs?: number;
}

export interface KubernetesLab {
  /** https://127.0.0.1:PORT, what the kubeconfig names (kubectl sends tokens over TLS only). */
  url: string;
  /** http://127.0.0.1:PORT, the same port in plain HTTP: /_lab/ routes and token-bearing API calls. */
  httpUrl: string;
  /** PEM of the self-signed certificate the kubeconfig trusts. */
  caCert: string;
  token: string;
  kubeconfigPath: string;
  /** kube context (and cluster) name in the kubeconfig: the scenario's cluster, `prod-a`. */
  context: string;
  scenario: Scenario;
  store: LabStore;
  faults: FaultBook;
  stats: RequestStats;
  dump(): JsonObject;
  setPeeringStateProvider(provider: PeeringStateProvider | undefined): void;
  /** The L2 announcements the emulated agents hold a lease for: who answers ARP for which IPs. */
  l2Announcements(): L2Announcement[];
  /** Resolves once the emulated operator/agents have reacted to every write so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startKubernetesLab(opts: KubernetesLabOptions = {}): Promise<KubernetesLab> {
  const sc = loadScenario(opts.scenario ?? 'default');
  const ciliumDefs = ciliumResources(sc.ciliumMinor);
  const registry = new ResourceRegistry([...builtinResources, ...ciliumDefs]);
  const now = (): Date => new Date();
  const objects = new ObjectStore();
  const writer = new ObjectWriter(objects, registry, now);
  const store = new LabStore(registry, objects, writer);
  for (const seed of seedObjects(sc, ciliumDefs)) {
    store.create(seed.manager, seed.object);
    if (seed.status) store.writeStatus(seed.statusManager ?? seed.manager, refOf(seed.object), seed.status);
  }

  const faults = opts.faults ?? new FaultBook();
  const stats = new RequestStats();
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const openWatches = new Set<ServerResponse>();
  const controllers = new EmulatedControllers(store, {
    rolloutDelayMs: opts.rolloutDelayMs ?? 150,
    resyncMs: opts.resyncMs ?? 1000,
    now,
    neverLease: () => faults.has('l2', 'lease', 'never'),
    onError: (err) => process.stderr.write(`kubernetes lab controller error: ${(err as Error).stack ?? String(err)}\n`),
  });
  const dump = (): JsonObject => dumpObjects(objects);
  let address = '';

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://lab');
    const serve = async (): Promise<void> => {
      if (await handleSideDoor(req, res, url.pathname, { dump, faults, stats })) return;
      stats.track(req, res);
      if (opts.latencyMs) await systemClock.sleep(opts.latencyMs);
      await handleApi(req, res, url, { registry, store: objects, writer, faults, token, kubernetesVersion: sc.kubernetesVersion, serverAddress: () => address, now, openWatches });
    };
    serve().catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy(err as Error);
        return;
      }
      if (err instanceof KubeStatusError) sendStatus(res, err);
      else sendStatus(res, new KubeStatusError(500, 'InternalError', `Internal error occurred: ${(err as Error).message}`));
    });
  };
  const tls = await labTls();
  const listener = await listenHttpAndHttps(handler, tls, opts.port ?? 0);
  address = `127.0.0.1:${listener.port}`;
  const url = `https://${address}`;
  const dir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'changeflow-k8s-')));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, kubeconfigYaml({ cluster: sc.clusterName, server: url, token, caCert: tls.cert }));
  await controllers.settle();

  return {
    url, httpUrl: `http://${address}`, caCert: tls.cert, token, kubeconfigPath, context: sc.clusterName, scenario: sc, store, faults, stats, dump,
    setPeeringStateProvider: (p) => controllers.setPeeringStateProvider(p),
    l2Announcements: () => controllers.l2Announcements(),
    settle: () => controllers.settle(),
    close: async () => {
      controllers.stop();
      for (const w of openWatches) w.end();
      await listener.close();
      // A temp dir we made for the kubeconfig goes with the lab; a caller's data dir stays.
      if (!opts.dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
