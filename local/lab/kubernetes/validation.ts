import { isCidr, isIp } from './ip-range.js';
import { arrayAt, isObject, objectAt, type Json, type JsonObject } from './json.js';
import type { ResourceDef } from './resources.js';

// A few of the schema rules the real CRDs enforce (reference/cilium.md §1), enough for 422s to be
// exercised: CEGP required fields, pool blocks, BGP instance bounds and timers, object names.
export interface FieldError {
  field: string;
  message: string;
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueTooMany';
}

const required = (field: string): FieldError => ({ field, message: 'Required value', reason: 'FieldValueRequired' });
const invalid = (field: string, value: Json | undefined, why: string): FieldError => ({
  field,
  message: `Invalid value: ${JSON.stringify(value ?? null)}: ${why}`,
  reason: 'FieldValueInvalid',
});

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateObject(def: ResourceDef, obj: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const name = objectAt(obj, 'metadata')?.['name'];
  if (typeof name !== 'string' || name === '') errors.push(required('metadata.name'));
  else if (name.length > 253 || !dnsSubdomain.test(name)) {
    errors.push(invalid('metadata.name', name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'"));
  }
  if (def.group !== 'cilium.io') return errors;
  const spec = objectAt(obj, 'spec');
  switch (def.kind) {
    case 'CiliumEgressGatewayPolicy':
      errors.push(...egressPolicy(spec));
      break;
    case 'CiliumLoadBalancerIPPool':
      errors.push(...pool(spec));
      break;
    case 'CiliumBGPClusterConfig':
      errors.push(...clusterConfig(spec));
      break;
    case 'CiliumBGPPeerConfig':
      errors.push(...peerConfig(spec));
      break;
  }
  return errors;
}

function egressPolicy(spec: JsonObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(spec?.['selectors'])) errors.push(required('spec.selectors'));
  if (!Array.isArray(spec?.['destinationCIDRs'])) errors.push(required('spec.destinationCIDRs'));
  arrayAt(spec, 'destinationCIDRs').forEach((c, i) => {
    if (typeof c !== 'string' || !isCidr(c)) errors.push(invalid(`spec.destinationCIDRs[${i}]`, c, 'must be a CIDR'));
  });
  const gw = objectAt(spec, 'egressGateway');
  if (!gw) errors.push(required('spec.egressGateway'));
  else {
    if (!isObject(gw['nodeSelector'])) errors.push(required('spec.egressGateway.nodeSelector'));
    const ip = gw['egressIP'];
    if (ip !== undefined && ip !== '' && (typeof ip !== 'string' || !isIp(ip))) errors.push(invalid('spec.egressGateway.egressIP', ip, 'must be an IP address'));
  }
  return errors;
}

function pool(spec: JsonObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  arrayAt(spec, 'blocks').forEach((b, i) => {
    const at = `spec.blocks[${i}]`;
    if (!isObject(b)) return errors.push(invalid(at, b, 'must be an object'));
    const { cidr, start, stop } = b;
    if (cidr === undefined && start === undefined) errors.push(required(`${at}.cidr`));
    if (cidr !== undefined && (typeof cidr !== 'string' || !isCidr(cidr))) errors.push(invalid(`${at}.cidr`, cidr, 'must be a CIDR'));
    if (start !== undefined && (typeof start !== 'string' || !isIp(start))) errors.push(invalid(`${at}.start`, start, 'must be an IP address'));
    if (stop !== undefined && (typeof stop !== 'string' || !isIp(stop))) errors.push(invalid(`${at}.stop`, stop, 'must be an IP address'));
  });
  return errors;
}

function asnOk(v: Json | undefined, min: number): boolean {
  return v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 4294967295);
}

function clusterConfig(spec: JsonObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const instances = spec?.['bgpInstances'];
  if (!Array.isArray(instances) || instances.length === 0) return [required('spec.bgpInstances')];
  if (instances.length > 16) errors.push({ field: 'spec.bgpInstances', message: `Too many: ${instances.length}: must have at most 16 items`, reason: 'FieldValueTooMany' });
  instances.forEach((inst, i) => {
    const at = `spec.bgpInstances[${i}]`;
    if (!isObject(inst) || typeof inst['name'] !== 'string' || inst['name'] === '') return errors.push(required(`${at}.name`));
    if (!asnOk(inst['localASN'], 1)) errors.push(invalid(`${at}.localASN`, inst['localASN'], 'should be between 1 and 4294967295'));
    arrayAt(inst, 'peers').forEach((p, j) => {
      if (!isObject(p)) return;
      if (!asnOk(p['peerASN'], 0)) errors.push(invalid(`${at}.peers[${j}].peerASN`, p['peerASN'], 'should be between 0 and 4294967295'));
      const addr = p['peerAddress'];
      if (addr !== undefined && (typeof addr !== 'string' || !isIp(addr.split('%')[0] ?? ''))) errors.push(invalid(`${at}.peers[${j}].peerAddress`, addr, 'must be an IP address'));
    });
  });
  return errors;
}

function peerConfig(spec: JsonObject | undefined): FieldError[] {
  const timers = objectAt(spec, 'timers');
  const hold = timers?.['holdTimeSeconds'];
  const keepAlive = timers?.['keepAliveTimeSeconds'];
  if (typeof hold === 'number' && typeof keepAlive === 'number' && keepAlive > hold) {
    return [invalid('spec.timers', timers, 'keepAliveTimeSeconds can not be larger than holdTimeSeconds')];
  }
  return [];
}
