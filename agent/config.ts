import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import * as z from '../shared/zod.js';
import { InvalidInput } from '../shared/errors.js';
import { describeInputIssues } from './input-issues.js';
import { issuesFromZod } from '../shared/spec/issues.js';

// The agent's one YAML file (issue 8): sites → Activity ARN and region/endpoint, fabrics → APIC
// URL and where its credentials live, clusters → kubeconfig/context and the cilium binary,
// limits. Credentials come only from here (env var, file or inline): never from task input.

const SecretSource = z.strictObject({
    env: z.optional(z.string()),
    file: z.optional(z.string()),
    value: z.optional(z.string()),
  }).check(z.refine((s) => [s.env, s.file, s.value].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of env, file or value',
  }));
export type SecretSource = z.infer<typeof SecretSource>;

/** A public key as PEM (SPKI) or base64 DER, inline or in a file; see docs/runbook.md for KMS. */
const PublicKeySource = z.strictObject({ file: z.optional(z.string().check(z.minLength(1))), value: z.optional(z.string().check(z.minLength(1))) }).check(z.refine((s) => [s.file, s.value].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of file or value' }));
export type PublicKeySource = z.infer<typeof PublicKeySource>;

/** Which objects an agent may write on a fabric, even for a signed task (defence in depth). */
export const FabricScope = z.strictObject({
  /** Tenants whose subtree (uni/tn-NAME/…) may be written. */
  tenants: z.array(z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'an APIC tenant name'))).check(z.minLength(1, 'name at least one tenant the agent may write')),
  /** Further DN subtrees outside those tenants, e.g. uni/l3dom-k8s for an L3 domain. */
  dnPrefixes: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** The only configExportP policy the snapshot step may trigger. */
  snapshotPolicy: z._default(z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/)), 'changeflow'),
});
export type FabricScope = z.infer<typeof FabricScope>;

/** The kinds changeflow writes on a cluster (agent/scope.ts holds what each may be used for). */
export const ClusterKind = z.enum([
  'CiliumBGPClusterConfig',
  'CiliumBGPPeerConfig',
  'CiliumBGPAdvertisement',
  'CiliumLoadBalancerIPPool',
  'CiliumEgressGatewayPolicy',
  'CiliumL2AnnouncementPolicy',
  'ConfigMap',
  'Secret',
  'DaemonSet',
  'Deployment',
]);
export type ClusterKind = z.infer<typeof ClusterKind>;

export const ClusterScope = z.strictObject({
  kinds: z._default(z.array(ClusterKind), ClusterKind.options),
  /** Namespaces namespaced objects may be written in; the Cilium namespace when omitted. */
  namespaces: z.optional(z.array(z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label')))),
});
export type ClusterScope = z.infer<typeof ClusterScope>;

export const AgentConfig = z.strictObject({
  agent: z.prefault(z.strictObject({
      name: z._default(z.string().check(z.minLength(1), z.maxLength(80)), 'changeflow-agent'),
      /** Concurrent tasks per site; one command at a time per fabric or cluster regardless. */
      concurrency: z._default(z.int().check(z.gte(1), z.lte(16)), 1),
      healthFile: z.optional(z.string()),
      maxResultBytes: z._default(z.int().check(z.gte(1024), z.lte(262144)), 250_000),
      /** Results larger than this go by reference through the table (`progress`), not inline. */
      inlineResultBytes: z._default(z.int().check(z.gte(1024), z.lte(262144)), 32_768),
      logLevel: z._default(z.enum(['debug', 'info', 'warn', 'error']), 'info'),
    }), {}),
  sites: z.record(
    z.string(),
    z.strictObject({
      activityArn: z.string().check(z.regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:activity:[\w-]+$/, 'an activity ARN')),
      region: z._default(z.string(), 'us-east-1'),
      /** Only for the embedded default or a VPC endpoint; AWS otherwise. */
      endpoint: z.optional(z.url()),
    }),
  ),
  fabrics: z.record(
    z.string(),
    z.strictObject({
      url: z.url(),
      username: z.string().check(z.minLength(1)),
      /** Token auth: aaaLogin with this password, refreshed before it times out. */
      password: z.optional(SecretSource),
      /**
       * Signature auth instead (reference/aci.md): every request signed with the private key of the
       * user's certificate `uni/userext/user-<username>/usercert-<name>`. No login, no token to
       * refresh or lose, and no aaaLogin throttle (commHttps throttleRate) to run into.
       */
      certificate: z.optional(z.strictObject({ name: z.string().check(z.regex(/^[a-zA-Z0-9_.:-]{1,64}$/, 'an APIC certificate name')), privateKey: SecretSource })),
      timeoutMs: z._default(z.int().check(z.positive()), 30_000),
      scope: FabricScope,
    }).check(z.refine((f) => (f.password === undefined) !== (f.certificate === undefined), { message: 'give exactly one of password (token auth) or certificate (signature auth)', path: ['password'] })),
  ),
  clusters: z.record(
    z.string(),
    z.strictObject({
      kubeconfig: z.string().check(z.minLength(1)),
      context: z.optional(z.string()),
      ciliumBinary: z._default(z.string(), 'cilium'),
      ciliumNamespace: z._default(z.string(), 'kube-system'),
      scope: z.prefault(ClusterScope, {}),
    }),
  ),
  /**
   * The changeflow table, where a long step's progress goes (the connectivity test's tests done of
   * the total, read by `submit --wait` and `watch`) and results over `inlineResultBytes` are
   * stored by reference: PutItem on PROGRESS#… and RESULT#… items only (docs/runbook.md §8).
   * Without it the step reports nothing until it ends and large results are summarised to fit.
   */
  progress: z.optional(z.strictObject({
      tableName: z._default(z.string().check(z.minLength(3), z.maxLength(255)), 'changeflow'),
      region: z._default(z.string(), 'us-east-1'),
      /** Only for the embedded default or a VPC endpoint; AWS otherwise. */
      endpoint: z.optional(z.url()),
    })),
  /**
   * Secrets a ChangeSpec may name by reference (bgpPeering.password: {secretRef: NAME}): resolved
   * here on the bastion, never carried by a spec, plan or task.
   */
  secrets: z._default(z.record(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'a secret reference name')), SecretSource), {}),
  /** Public keys of the plan step (docs/architecture.md §3.6): every task that writes must be signed by one. */
  planSigning: z.strictObject({
    keys: z.array(z.strictObject({ keyId: z.string().check(z.minLength(1)), publicKey: PublicKeySource })).check(z.minLength(1, 'name the plan-signing public key (local: written by `changeflow dev`; AWS: the KMS key, see docs/runbook.md)')),
  }),
});
export type AgentConfig = z.infer<typeof AgentConfig>;

export async function loadAgentConfig(path: string): Promise<AgentConfig> {
  const text = await readFile(path, 'utf8');
  const result = AgentConfig.safeParse(parseYaml(text));
  if (!result.success) {
    throw new InvalidInput(`agent config ${path} is invalid: ${describeInputIssues(result.error, 'the agent config').join('; ')} — fix the file (docs/agent.example.yaml shows every field)`, issuesFromZod(result.error));
  }
  return result.data;
}

/** Reads a public key from where the config says it lives. */
export async function resolvePublicKey(source: PublicKeySource): Promise<string> {
  if (source.value !== undefined) return source.value;
  try {
    return await readFile(source.file ?? '', 'utf8');
  } catch (err) {
    throw new InvalidInput(`public key file ${source.file} (named in the agent config) cannot be read: ${(err as Error).message}; fix the path`);
  }
}

/** Reads a secret from where the config says it lives. */
export async function resolveSecret(source: SecretSource, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (source.value !== undefined) return source.value;
  if (source.env !== undefined) {
    const v = env[source.env];
    if (v === undefined || v === '') throw new InvalidInput(`environment variable ${source.env} is not set (agent config names it as a secret)`);
    return v;
  }
  try {
    return (await readFile(source.file ?? '', 'utf8')).trim();
  } catch (err) {
    throw new InvalidInput(`secret file ${source.file} (named in the agent config) cannot be read: ${(err as Error).message}; create it or fix the path`);
  }
}
