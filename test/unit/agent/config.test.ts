import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AgentConfig, loadAgentConfig, resolveSecret } from '../../../agent/config.js';
import { kubeconfigSecrets } from '../../../agent/kubeconfig-secrets.js';
import { apicClientOf } from '../../../agent/apic/fabric-client.js';
import { InvalidInput } from '../../../shared/errors.js';

// The agent's one YAML file (issue 8 §4) and where its credentials come from: the config, the
// environment or a file — and, for clusters, the kubeconfig the config names.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changeflow-agent-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const minimal = {
  sites: { dc1: { activityArn: 'arn:aws:states:eu-west-1:123456789012:activity:changeflow-agent-dc1' } },
  fabrics: { 'dc1-aci': { url: 'https://apic1.dc1.example.net', username: 'changeflow', password: { env: 'APIC_PASSWORD' }, scope: { tenants: ['k8s-prod-a'] } } },
  clusters: { 'prod-a': { kubeconfig: '/etc/changeflow/prod-a.kubeconfig' } },
  planSigning: { keys: [{ keyId: 'local:0123456789abcdef', publicKey: { file: '/etc/changeflow/plan-signing.pub.pem' } }] },
};

describe('loadAgentConfig', () => {
  it('reads docs/agent.example.yaml', async () => {
    const config = await loadAgentConfig('docs/agent.example.yaml');
    expect(config.agent).toMatchObject({ name: 'bastion-dc1', concurrency: 1, maxResultBytes: 250000 });
    expect(config.sites['dc1']).toMatchObject({ region: 'eu-west-1' });
    expect(config.clusters['prod-a']).toMatchObject({ context: 'prod-a', ciliumBinary: '/usr/local/bin/cilium' });
    expect(config.fabrics['dc1-aci']?.scope).toEqual({ tenants: ['k8s-prod-a'], dnPrefixes: [], snapshotPolicy: 'changeflow' });
    expect(config.clusters['prod-a']?.scope.namespaces).toEqual(['kube-system']);
    expect(config.secrets).toEqual({ 'bgp-prod-a': { env: 'BGP_PASSWORD_PROD_A' } });
    expect(config.planSigning.keys.map((k) => k.keyId)).toEqual(['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab']);
  });

  it('fills the defaults: one task at a time, a payload limit under 256 KiB, the cilium on PATH', () => {
    const config = AgentConfig.parse(minimal);
    expect(config.agent).toEqual({ name: 'changeflow-agent', concurrency: 1, maxResultBytes: 250_000, inlineResultBytes: 32_768, logLevel: 'info' });
    expect(config.sites['dc1']?.region).toBe('us-east-1');
    expect(config.clusters['prod-a']).toMatchObject({ kubeconfig: '/etc/changeflow/prod-a.kubeconfig', ciliumBinary: 'cilium', ciliumNamespace: 'kube-system' });
    // The cluster scope defaults to the kinds changeflow writes, in the Cilium namespace only.
    expect(config.clusters['prod-a']?.scope.kinds).toContain('CiliumLoadBalancerIPPool');
    expect(config.clusters['prod-a']?.scope.namespaces).toBeUndefined();
  });

  it('refuses a fabric without a tenant scope and an agent without a plan-signing key (fail closed)', () => {
    const { planSigning: _keys, ...unsigned } = minimal;
    const noScope = { ...minimal, fabrics: { 'dc1-aci': { ...minimal.fabrics['dc1-aci'], scope: { tenants: [] } } } };
    const paths = (input: unknown) => (AgentConfig.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths(unsigned)).toEqual(['planSigning: Invalid input: expected object, received undefined']);
    expect(paths(noScope)).toEqual(['fabrics.dc1-aci.scope.tenants: name at least one tenant the agent may write']);
    expect(paths({ ...minimal, clusters: { 'prod-a': { kubeconfig: 'k', scope: { kinds: ['ClusterRole'] } } } })[0]).toMatch(/^clusters\.prod-a\.scope\.kinds\.0: /);
  });

  it('authenticates a fabric with exactly one of a password or a certificate (signature auth)', async () => {
    const fabric = minimal.fabrics['dc1-aci'];
    const { password: _password, ...withoutPassword } = fabric;
    const certificate = { name: 'changeflow', privateKey: { file: '/etc/changeflow/apic-changeflow.key' } };
    const paths = (f: unknown) => (AgentConfig.safeParse({ ...minimal, fabrics: { 'dc1-aci': f } }).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths({ ...withoutPassword, certificate })).toEqual([]);
    expect(AgentConfig.parse({ ...minimal, fabrics: { 'dc1-aci': { ...withoutPassword, certificate } } }).fabrics['dc1-aci']?.certificate).toEqual(certificate);
    expect(paths({ ...fabric, certificate })).toEqual(['fabrics.dc1-aci.password: give exactly one of password (token auth) or certificate (signature auth)']);
    expect(paths(withoutPassword)).toEqual(['fabrics.dc1-aci.password: give exactly one of password (token auth) or certificate (signature auth)']);
    expect(paths({ ...withoutPassword, certificate: { ...certificate, name: 'bad name' } })).toEqual(['fabrics.dc1-aci.certificate.name: an APIC certificate name']);
    // The key must be a PEM private key: said at start, naming the field, before any request.
    const config = AgentConfig.parse({ ...minimal, fabrics: { 'dc1-aci': { ...withoutPassword, certificate: { name: 'changeflow', privateKey: { value: 'not a key' } } } } });
    const fabricConfig = config.fabrics['dc1-aci'];
    if (!fabricConfig) throw new Error('expected the fabric');
    await expect(apicClientOf(fabricConfig, {}, () => undefined)).rejects.toThrow(/fabrics\.\*\.certificate\.privateKey .* is not a PEM private key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(apicClientOf({ ...fabricConfig, certificate: { name: 'changeflow', privateKey: { value: ec } } }, {}, () => undefined)).rejects.toThrow(/is an ec key; APIC signature auth takes RSA/);
    const masked: string[] = [];
    const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await apicClientOf({ ...fabricConfig, certificate: { name: 'changeflow', privateKey: { value: key } } }, {}, (s) => masked.push(s));
    expect(masked).toEqual([key]);
  });

  it('names each bad field, says it is the agent config that lacks a field, and what to do', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, stringify({ ...minimal, agent: { concurency: 2 }, sites: { dc1: { activityArn: 'arn:aws:states:eu-west-1:1:activity:x' } } }));
    const err = await loadAgentConfig(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    const message = (err as InvalidInput).message;
    expect(message).toContain('agent.concurency: unknown field "concurency": the agent config has no such field');
    expect(message).toContain('sites.dc1.activityArn: an activity ARN');
    expect(message).toMatch(/fix the file \(docs\/agent\.example\.yaml/);
    expect((err as InvalidInput).issues.map((i) => i.path)).toEqual(['agent.concurency', 'sites.dc1.activityArn']);
  });

  it('refuses a password given in two places or none', () => {
    expect(AgentConfig.safeParse({ ...minimal, fabrics: { f: { ...minimal.fabrics['dc1-aci'], password: { env: 'A', value: 'b' } } } }).success).toBe(false);
    expect(AgentConfig.safeParse({ ...minimal, fabrics: { f: { ...minimal.fabrics['dc1-aci'], password: {} } } }).success).toBe(false);
  });
});

describe('resolveSecret', () => {
  it('reads a value, an environment variable or a file (trimmed)', async () => {
    const file = join(dir, 'apic.password');
    await writeFile(file, 'from-file\n');
    expect(await resolveSecret({ value: 'inline' })).toBe('inline');
    expect(await resolveSecret({ env: 'APIC_PASSWORD' }, { APIC_PASSWORD: 'from-env' })).toBe('from-env');
    expect(await resolveSecret({ file })).toBe('from-file');
  });

  it('says which variable or file is missing', async () => {
    await expect(resolveSecret({ env: 'APIC_PASSWORD' }, {})).rejects.toThrow(/APIC_PASSWORD is not set/);
    await expect(resolveSecret({ file: join(dir, 'nope') })).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringMatching(/secret file .*nope.* cannot be read.*create it or fix the path/) });
  });
});

describe('kubeconfigSecrets', () => {
  it('collects the token, password, client key and auth-provider tokens of the chosen context', async () => {
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----';
    const path = join(dir, 'kubeconfig');
    await writeFile(path, stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }],
      users: [
        { name: 'token-user', user: { token: 'kube-token-123456' } },
        { name: 'cert-user', user: { 'client-key-data': Buffer.from(key).toString('base64'), username: 'u', password: 'basic-pass' } },
        { name: 'oidc', user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'oidc-id-token', 'access-token': 'oidc-access' } } } },
      ],
      contexts: [
        { name: 'prod-a', context: { cluster: 'c', user: 'token-user' } },
        { name: 'prod-b', context: { cluster: 'c', user: 'cert-user' } },
        { name: 'prod-c', context: { cluster: 'c', user: 'oidc' } },
      ],
      'current-context': 'prod-a',
    }));
    expect(kubeconfigSecrets(path)).toEqual(['kube-token-123456']);
    expect(kubeconfigSecrets(path, 'prod-b')).toEqual(['basic-pass', Buffer.from(key).toString('base64'), key]);
    expect(kubeconfigSecrets(path, 'prod-c')).toEqual(['oidc-access', 'oidc-id-token']);
  });
});
