import * as z from '../../zod.js';
import { Asn, Cidr, InterfaceAddress, Ipv4Address, KubeName, Labels, State, Vlan } from '../../spec/fields.js';
import { broadcastOf, contains, parseCidr, parseInterfaceAddress } from '../../spec/addresses.js';
import { SecretRefName } from '../../plan/plan-op.js';

// bgpPeering in ChangeSpec v1 (docs/architecture.md §3.1): the floating-SVI peering between the cluster's
// BGP nodes and the anchor leaves. The addresses must sit inside the peering subnet, which only
// the whole change can tell (checkPeeringInSpec, called by the ChangeSpec schema).

const LeafId = z.int().check(z.gte(101, 'leaf node ids run from 101 to 4000'), z.lte(4000, 'leaf node ids run from 101 to 4000'));

export const Anchor = z.strictObject({
  nodeId: LeafId,
  pod: z._default(z.int().check(z.gte(1, 'pod ids start at 1'), z.lte(255, 'pod ids end at 255')), 1),
  routerId: Ipv4Address,
  address: InterfaceAddress,
});
export type Anchor = z.infer<typeof Anchor>;

export const BgpTimers = z.strictObject({
    // The anchors' bgpCtxPol takes 3–3600 s and 1–3600 s: the same timers on both sides.
    holdTimeSeconds: z._default(z.int().check(z.gte(3), z.lte(3600, 'the APIC takes a hold time of at most 3600 s')), 90),
    keepAliveTimeSeconds: z._default(z.int().check(z.gte(1), z.lte(3600, 'the APIC takes a keepalive of at most 3600 s')), 30),
    connectRetryTimeSeconds: z._default(z.int().check(z.gte(1), z.lte(2147483647)), 120),
  }).check(z.superRefine((t, ctx) => {
    // Values in the message: one of the two may be a default the author never wrote.
    if (t.keepAliveTimeSeconds > t.holdTimeSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['keepAliveTimeSeconds'],
        message: `keepAliveTimeSeconds ${t.keepAliveTimeSeconds} exceeds holdTimeSeconds ${t.holdTimeSeconds}; set it to about a third of the hold time`,
      });
    }
  }));

export const BgpPeering = z.strictObject({
  type: z.literal('bgpPeering'),
  state: State,
  clusterAsn: Asn,
  peeringSubnet: Cidr,
  vlan: Vlan,
  floatingIp: InterfaceAddress,
  anchors: z.array(Anchor).check(z.minLength(1, 'a floating SVI needs at least one anchor leaf'), z.maxLength(6, 'ACI supports at most 6 anchor leaves per floating L3Out')),
  nodeSelector: Labels,
  bfd: z._default(z.boolean(), false),
  gracefulRestart: z._default(z.boolean(), true),
  timers: z.optional(BgpTimers),
  /** Received AS paths longer than this are dropped by the anchors (the design hardens to 1). */
  maxAsLimit: z._default(z.int().check(z.gte(0), z.lte(2000)), 1),
  /**
   * The BGP (TCP MD5) password of the sessions, as a reference to a secret the agent holds
   * (agent config `secrets`): the value is never in the spec, the plan or the logs.
   */
  password: z.optional(z.strictObject({ secretRef: SecretRefName }, { error: 'password takes a reference, {secretRef: NAME} naming a secret in the agent config, never the password itself' })),
  /**
   * The leaves each cluster node is cabled to (one, or the two of a vPC pair), as the operator
   * knows them: before 6.1(2) the anchor rule needs every node's leaf, and nodes behind an L3Out
   * SVI are no fvCEp endpoints. What the fabric itself reports (endpoints, ARP) comes first.
   */
  cabling: z.optional(z.record(KubeName, z.array(LeafId).check(z.minLength(1, 'name the leaf (or the two leaves of a vPC pair)'), z.maxLength(2, 'a node is cabled to one leaf or one vPC pair')))),
});
export type BgpPeering = z.infer<typeof BgpPeering>;

type Ctx = z.core.$RefinementCtx;

export function checkPeeringInSpec(change: BgpPeering, i: number, fabricAsn: number, ctx: Ctx): void {
  const at = (...rest: Array<string | number>) => ['changes', i, ...rest];
  if (change.clusterAsn === fabricAsn) {
    ctx.addIssue({ code: 'custom', path: at('clusterAsn'), message: `the design peers over eBGP: clusterAsn must differ from the fabric AS ${fabricAsn}` });
  }
  const subnet = parseCidr(change.peeringSubnet);
  const used = new Map<string, string>();
  const checkAddress = (text: string, path: Array<string | number>, what: string) => {
    const a = parseInterfaceAddress(text);
    if (!a || !subnet) return;
    const host = a.address.toString();
    if (!contains(subnet, a.address) || a.length !== subnet.length) {
      ctx.addIssue({ code: 'custom', path: at(...path), message: `${what} ${text} must be inside the peering subnet ${change.peeringSubnet} with the same mask /${subnet.length}` });
    } else if (host === subnet.network) {
      ctx.addIssue({ code: 'custom', path: at(...path), message: `${what} ${text} is the network address of ${change.peeringSubnet}; pick a host address` });
    } else if (host === broadcastOf(subnet)) {
      ctx.addIssue({ code: 'custom', path: at(...path), message: `${what} ${text} is the broadcast address of ${change.peeringSubnet}; pick a host address` });
    }
    const other = used.get(host);
    if (other) ctx.addIssue({ code: 'custom', path: at(...path), message: `${what} ${host} is already used by ${other}` });
    used.set(host, what);
  };
  checkAddress(change.floatingIp, ['floatingIp'], 'the floating IP');
  const nodeIds = new Map<number, number>();
  const routerIds = new Map<string, number>();
  change.anchors.forEach((anchor, j) => {
    checkAddress(anchor.address, ['anchors', j, 'address'], `anchor ${anchor.nodeId}'s address`);
    const dupNode = nodeIds.get(anchor.nodeId);
    if (dupNode !== undefined) {
      ctx.addIssue({ code: 'custom', path: at('anchors', j, 'nodeId'), message: `leaf ${anchor.nodeId} is listed twice (also anchors[${dupNode}])` });
    } else nodeIds.set(anchor.nodeId, j);
    const dupRouter = routerIds.get(anchor.routerId);
    if (dupRouter !== undefined) {
      ctx.addIssue({ code: 'custom', path: at('anchors', j, 'routerId'), message: `router id ${anchor.routerId} is already used by anchors[${dupRouter}]; each leaf needs its own` });
    } else routerIds.set(anchor.routerId, j);
  });
}
