import { rnFor } from '../shared/aci/classes.js';
import { childDn } from '../shared/aci/dn.js';
import { InvalidInput } from '../shared/errors.js';
import type { ApicRequest, KubeObject, KubeRequest, MoJson } from '../shared/plan/index.js';
import { resolveSecret, type AgentConfig } from './config.js';

// The values behind the secret references a signed plan names (bgpPeering.password): read from
// the agent config's `secrets` on the bastion at start-up, registered with the redactor, and put
// into a request only at the moment it is sent — never into a plan, a result or a log line.

export type SecretValues = (secretRef: string) => string;

export class SecretRefUnknown extends InvalidInput {}

export async function loadSecretValues(config: Pick<AgentConfig, 'secrets'>, env: NodeJS.ProcessEnv, register: (value: string) => void): Promise<SecretValues> {
  const values = new Map<string, string>();
  for (const [name, source] of Object.entries(config.secrets)) {
    const value = await resolveSecret(source, env);
    register(value);
    values.set(name, value);
  }
  return (secretRef) => {
    const value = values.get(secretRef);
    if (value === undefined) {
      throw new SecretRefUnknown(`secret reference ${secretRef} is not in this agent's config (secrets: ${[...values.keys()].join(', ') || 'none'}); add it under secrets: in the agent config — nothing was sent`);
    }
    return value;
  };
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
  if (missing.length > 0) throw new SecretRefUnknown(`the plan names a secret for ${missing.join(', ')}, which the request body to ${request.dn} does not hold; nothing was sent`);
  return { ...request, body };
}

/** A copy of an apply whose Secret manifest carries each referenced key in `data` (base64). */
export function withKubeSecrets(request: KubeRequest, secrets: SecretValues | undefined): KubeRequest {
  if (request.method !== 'apply' || !request.secretData || request.secretData.length === 0) return request;
  if (!secrets) throw new SecretRefUnknown(`apply of ${request.ref.kind} ${request.ref.name} needs secrets and this agent has none configured; nothing was sent`);
  const data = Object.fromEntries(request.secretData.map((d) => [d.key, Buffer.from(secrets(d.secretRef), 'utf8').toString('base64')]));
  const current = (request.manifest as KubeObject & { data?: Record<string, string> }).data ?? {};
  return { ...request, manifest: { ...request.manifest, data: { ...current, ...data } } };
}
