import { rnFor } from '../shared/aci/classes.js';
import { childDn } from '../shared/aci/dn.js';
import { ChangeflowError } from '../shared/errors.js';
import type { ApicRequest, KubeObject, KubeRequest, MoJson } from '../shared/plan/index.js';
import type { ChangeSpec } from '../shared/spec/index.js';
import { resolveSecret, type AgentConfig } from './config.js';

// The values behind the secret references a signed plan names (bgpPeering.password): read from
// the agent config's `secrets` on the bastion at start-up, registered with the redactor (as is
// their base64 form, the one a Secret's data carries), and put into a request only at the moment
// it is sent — never into a plan, a result or a log line. Only the agent config's `secrets` can be
// named (not the APIC password or a kubeconfig credential), and only into the places a BGP
// password goes: bgpPeerP.password (write-only on an APIC) and the `password` key of a
// `*-bgp-password` Secret — a signed plan cannot route a value into an attribute that reads back.

export type SecretValues = ((secretRef: string) => string) & { readonly names: readonly string[] };

/** A reference the agent does not hold, or a plan asking for a value where none may go. */
export class SecretRefUnknown extends ChangeflowError {
  override readonly name = 'TargetNotConfigured' as const;
}
export class SecretPlacementRefused extends ChangeflowError {
  override readonly name = 'UnsafeRequest' as const;
}

/** Where a secret value may be written: the write-only APIC attributes, by class. */
const apicWriteOnly: Readonly<Record<string, readonly string[]>> = { bgpPeerP: ['password'] };
const secretName = /-bgp-password$/;

export async function loadSecretValues(config: Pick<AgentConfig, 'secrets'>, env: NodeJS.ProcessEnv, register: (value: string) => void): Promise<SecretValues> {
  const values = new Map<string, string>();
  for (const [name, source] of Object.entries(config.secrets)) {
    const value = await resolveSecret(source, env);
    register(value);
    register(Buffer.from(value, 'utf8').toString('base64'));
    values.set(name, value);
  }
  const lookup = (secretRef: string): string => {
    const value = values.get(secretRef);
    if (value === undefined) {
      throw new SecretRefUnknown(`secret reference ${secretRef} is not in this agent's config (secrets: ${[...values.keys()].join(', ') || 'none'}); add it under secrets: in the agent config — nothing was sent`);
    }
    return value;
  };
  return Object.assign(lookup, { names: [...values.keys()] });
}

/**
 * Fails gather-facts, before anything is planned or written, when the spec names a secret this
 * agent does not hold: the error names the spec field.
 */
export function checkSpecSecrets(spec: ChangeSpec, secrets: SecretValues | undefined): void {
  const held = new Set(secrets?.names ?? []);
  const missing = spec.changes.flatMap((c, i) => (c.type === 'bgpPeering' && c.password && !held.has(c.password.secretRef) ? [`changes[${i}].password.secretRef: ${c.password.secretRef}`] : []));
  if (missing.length === 0) return;
  throw new SecretRefUnknown(
    `${missing.join('; ')} — this agent holds no such secret (secrets: ${[...held].join(', ') || 'none'}); add it under secrets: in the agent config on the bastion (env, file or value), or name one it holds`,
  );
}

/** A copy of the POST body with each referenced write-only attribute filled in at its MO's DN. */
export function withApicSecrets(request: ApicRequest, secrets: SecretValues | undefined): ApicRequest {
  if (!request.secrets || request.secrets.length === 0 || !request.body) return request;
  if (!secrets) throw new SecretRefUnknown(`request to ${request.dn} needs secrets (${request.secrets.map((s) => s.secretRef).join(', ')}) and this agent has none configured; nothing was sent`);
  const wanted = new Map(request.secrets.map((s) => [s.dn, s]));
  const filled = new Set<string>();
  const visit = (mo: MoJson, dn: string): MoJson =>
    Object.fromEntries(Object.entries(mo).map(([className, { attributes, children }]) => {
      const secret = wanted.get(dn);
      if (secret && !apicWriteOnly[className]?.includes(secret.attribute)) {
        throw new SecretPlacementRefused(`the plan asks for secret ${secret.secretRef} in ${className}.${secret.attribute} at ${dn}; a secret goes only into ${Object.entries(apicWriteOnly).map(([c, a]) => a.map((x) => `${c}.${x}`).join(', ')).join(', ')} (write-only); nothing was sent`);
      }
      if (secret) filled.add(dn);
      const attrs = secret ? { ...attributes, [secret.attribute]: secrets(secret.secretRef) } : attributes;
      const kids = children?.map((child) => {
        const [childClass, body] = Object.entries(child)[0] ?? [];
        return visit(child, childClass && body ? childDn(dn, body.attributes.rn ?? rnFor(childClass, body.attributes)) : dn);
      });
      return [className, kids ? { attributes: attrs, children: kids } : { attributes: attrs }];
    }));
  const body = visit(request.body, request.dn);
  const missing = [...wanted.keys()].filter((dn) => !filled.has(dn));
  if (missing.length > 0) throw new SecretPlacementRefused(`the plan names a secret for ${missing.join(', ')}, which the request body to ${request.dn} does not hold; nothing was sent`);
  return { ...request, body };
}

/** A copy of an apply whose Secret manifest carries each referenced key in `data` (base64). */
export function withKubeSecrets(request: KubeRequest, secrets: SecretValues | undefined): KubeRequest {
  if (request.method !== 'apply' || !request.secretData || request.secretData.length === 0) return request;
  if (!secrets) throw new SecretRefUnknown(`apply of ${request.ref.kind} ${request.ref.name} needs secrets and this agent has none configured; nothing was sent`);
  const { manifest } = request;
  if (manifest.apiVersion !== 'v1' || manifest.kind !== 'Secret' || !secretName.test(manifest.metadata.name) || request.secretData.some((d) => d.key !== 'password')) {
    throw new SecretPlacementRefused(`the plan asks for secrets in ${manifest.kind} ${manifest.metadata.name} (keys ${request.secretData.map((d) => d.key).join(', ')}); a secret goes only into the password key of a v1 Secret named *-bgp-password; nothing was sent`);
  }
  const data = Object.fromEntries(request.secretData.map((d) => [d.key, Buffer.from(secrets(d.secretRef), 'utf8').toString('base64')]));
  const current = (request.manifest as KubeObject & { data?: Record<string, string> }).data ?? {};
  return { ...request, manifest: { ...request.manifest, data: { ...current, ...data } } };
}
