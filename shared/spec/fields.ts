import * as z from '../zod.js';
import { parseCidr, parseHost, parseInterfaceAddress } from './addresses.js';

// Field-level schemas shared by the change types. Each message is worded for the network
// engineer who wrote the spec: what was expected and an example of a good value.

export const Asn = z.int({ error: 'expected an AS number such as 65001' }).check(
  z.gte(1, 'AS numbers start at 1'), z.lte(4294967295, 'AS numbers end at 4294967295 (4-byte ASN)'));

export const Vlan = z.int({ error: 'expected a VLAN id such as 300' }).check(
  z.gte(1, 'VLAN ids run from 1 to 4094'), z.lte(4094, 'VLAN ids run from 1 to 4094'));

export const HostAddress = z.string().check(z.refine((s) => parseHost(s) !== undefined, { message: 'expected a host address such as 192.168.3.200 (no prefix length)' })).register(z.globalRegistry, { description: 'host address, e.g. 192.168.3.200' });

export const Ipv4Address = z.string().check(z.refine((s) => parseHost(s)?.kind() === 'ipv4', { message: 'expected an IPv4 address such as 1.1.1.101' })).register(z.globalRegistry, { description: 'IPv4 address, e.g. 1.1.1.101' });

/** A network prefix with no host bits set: 10.0.10.0/24, not 10.0.10.1/24. */
export const Cidr = z.string().check(z.superRefine((s, ctx) => {
  const p = parseCidr(s);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a network prefix; expected e.g. 10.0.10.0/24` });
  } else if (!p.aligned) {
    ctx.addIssue({ code: 'custom', message: `"${s}" has host bits set; the network is ${p.network}/${p.length}` });
  }
})).register(z.globalRegistry, { description: 'network prefix, e.g. 10.0.10.0/24' });

/** An interface address with its mask: 192.168.2.1/24. */
export const InterfaceAddress = z.string().check(z.refine((s) => parseInterfaceAddress(s) !== undefined, { message: 'expected an interface address with its mask, e.g. 192.168.2.1/24' })).register(z.globalRegistry, { description: 'address with mask, e.g. 192.168.2.1/24' });

// APIC object names: letters, digits and _ . : - up to 64 characters.
export const ApicName = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'APIC names use letters, digits and _ . : - (1–64 characters)'));

// Kubernetes object names (DNS-1123 subdomain) and namespaces (DNS-1123 label).
export const KubeName = z.string().check(z.maxLength(253, 'Kubernetes names are at most 253 characters'), z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'Kubernetes names are lower-case letters, digits, - and . and start and end with a letter or digit (e.g. pool-red)'));

export const KubeNamespace = z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a namespace is a DNS label: lower-case letters, digits and -, at most 63 characters'));

/** A target name known to the agent: site, fabric connection or kube context. */
export const TargetName = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'names use letters, digits and _ . - (1–63 characters)'));

const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const labelPrefix = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !labelPrefix.test(prefix))) {
    return `label key prefix "${prefix}" must be a DNS subdomain such as example.com`;
  }
  if (!labelName.test(name)) {
    return `label key "${key}" must be at most 63 letters, digits, - _ . and start and end with a letter or digit`;
  }
  return undefined;
}

/** Kubernetes matchLabels: YAML scalars (true, 3) are accepted and turned into strings. */
export const Labels = z.record(z.string(), z.pipe(z.union([z.string(), z.number(), z.boolean()]), z.transform(String))).check(z.superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) ctx.addIssue({ code: 'custom', path: [key], message: keyProblem });
      if (!labelValue.test(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `label value "${value}" must be at most 63 letters, digits, - _ . and start and end with a letter or digit`,
        });
      }
    }
  }));

export const State = z._default(z.enum(['present', 'absent']), 'present');
