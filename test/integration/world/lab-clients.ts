import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { LabEndpoints } from '../../../local/lab/endpoints.js';

// Plain HTTP clients for the lab emulators, the way an operator's tools talk to them: APIC with an
// aaaLogin cookie, Kubernetes with the bearer token and server-side apply.

export const fixtures = join(import.meta.dirname, '../../fixtures/world');

type Imdata = Array<Record<string, { attributes: Record<string, string> }>>;

export class ApicSession {
  private constructor(
    private readonly url: string,
    private readonly cookie: string,
  ) {}

  static async login(ep: LabEndpoints['apic']): Promise<ApicSession> {
    const res = await fetch(`${ep.url}/api/aaaLogin.json`, { method: 'POST', body: JSON.stringify({ aaaUser: { attributes: { name: ep.username, pwd: ep.password } } }) });
    await res.text();
    if (res.status !== 200) throw new Error(`APIC login answered ${res.status}`);
    return new ApicSession(ep.url, (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '');
  }

  async post(dn: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.url}/api/mo/${dn}.json`, { method: 'POST', headers: { cookie: this.cookie }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST ${dn} answered ${res.status}: ${text}`);
  }

  async classQuery(cls: string): Promise<Array<Record<string, string>>> {
    const res = await fetch(`${this.url}/api/class/${cls}.json`, { headers: { cookie: this.cookie } });
    const body = (await res.json()) as { imdata: Imdata };
    return body.imdata.map((mo) => mo[cls]?.attributes ?? {});
  }
}

export async function apicFixture(name: string): Promise<unknown> {
  return JSON.parse(await readFile(join(fixtures, name), 'utf8')) as unknown;
}

export async function yamlFixture(name: string): Promise<Array<Record<string, unknown>>> {
  return parseAllDocuments(await readFile(join(fixtures, name), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
}

const plurals: Record<string, string> = {
  CiliumBGPClusterConfig: 'ciliumbgpclusterconfigs',
  CiliumBGPPeerConfig: 'ciliumbgppeerconfigs',
  CiliumBGPAdvertisement: 'ciliumbgpadvertisements',
  CiliumLoadBalancerIPPool: 'ciliumloadbalancerippools',
  CiliumEgressGatewayPolicy: 'ciliumegressgatewaypolicies',
  CiliumBGPNodeConfig: 'ciliumbgpnodeconfigs',
  CiliumL2AnnouncementPolicy: 'ciliuml2announcementpolicies',
};

export class KubeClient {
  constructor(private readonly ep: LabEndpoints['kubernetes']) {}

  private path(apiVersion: string, kind: string, name?: string, namespace?: string): string {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const plural = plurals[kind] ?? `${kind.toLowerCase()}s`;
    return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`;
  }

  /** Server-side apply as `changeflow-test`. */
  async apply(obj: Record<string, unknown>): Promise<void> {
    const meta = obj['metadata'] as { name: string; namespace?: string };
    const url = `${this.ep.url}${this.path(String(obj['apiVersion']), String(obj['kind']), meta.name, meta.namespace)}?fieldManager=changeflow-test&force=true`;
    const res = await fetch(url, { method: 'PATCH', headers: { authorization: `Bearer ${this.ep.token}`, 'content-type': 'application/apply-patch+yaml' }, body: JSON.stringify(obj) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`apply ${String(obj['kind'])}/${meta.name} answered ${res.status}: ${text}`);
  }

  async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.ep.url}${this.path(apiVersion, kind, name, namespace)}`, { headers: { authorization: `Bearer ${this.ep.token}` } });
    if (res.status !== 200) throw new Error(`GET ${kind}/${name} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  }
}

/** peeringState of every peer in a CiliumBGPNodeConfig status, by peer name. */
export function peeringStates(nodeConfig: Record<string, unknown>): Record<string, string> {
  const status = nodeConfig['status'] as { bgpInstances?: Array<{ peers?: Array<{ name: string; peeringState?: string }> }> } | undefined;
  const out: Record<string, string> = {};
  for (const inst of status?.bgpInstances ?? []) for (const p of inst.peers ?? []) out[p.name] = p.peeringState ?? '';
  return out;
}
