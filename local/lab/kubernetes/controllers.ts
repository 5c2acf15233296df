import { AgentPods } from './agent-pods.js';
import { BgpOperator, type PeeringStateProvider } from './bgp-operator.js';
import { L2Announcer, type L2Announcement } from './l2-announcer.js';
import type { LabStore } from './lab-store.js';
import { LbIpam } from './lb-ipam.js';
import { Rollouts } from './rollouts.js';

// Runs the emulated operator, agents and workload controllers like real ones: asynchronously after
// each change (so clients see the write first and the status a moment later), plus a periodic
// resync because the lab world can change peering state without any API write.
export interface ControllerOptions {
  rolloutDelayMs: number;
  resyncMs: number;
  now: () => Date;
  onError: (err: unknown) => void;
  /** The fault `l2.lease=never` is on: no agent takes an L2 announcement lease. */
  neverLease?: () => boolean;
}

export class EmulatedControllers {
  readonly bgp: BgpOperator;
  private readonly lbIpam: LbIpam;
  private readonly l2: L2Announcer;
  private readonly rollouts: Rollouts;
  private readonly agentPods: AgentPods;
  private pending = false;
  private waiters: Array<() => void> = [];
  private unsubscribe?: () => void;
  private resync?: NodeJS.Timeout;

  constructor(
    store: LabStore,
    private readonly opts: ControllerOptions,
  ) {
    this.bgp = new BgpOperator(store, opts.now);
    this.lbIpam = new LbIpam(store, opts.now);
    this.l2 = new L2Announcer(store, opts.now, opts.neverLease ?? (() => false));
    this.agentPods = new AgentPods(store, opts.now);
    this.rollouts = new Rollouts(store, opts.rolloutDelayMs, (kind, name) => {
      if (kind === 'DaemonSet' && name === 'cilium') this.agentPods.replaceAll();
    });
    this.unsubscribe = store.subscribe(() => this.schedule());
    this.resync = setInterval(() => this.schedule(), opts.resyncMs);
    this.resync.unref();
    this.schedule();
  }

  setPeeringStateProvider(provider: PeeringStateProvider | undefined): void {
    this.bgp.setProvider(provider);
    this.schedule();
  }

  /** Which node answers ARP for which service IPs (the L2 leases held now). */
  l2Announcements(): L2Announcement[] {
    return this.l2.held();
  }

  /** Resolves once every change made so far has been reconciled. */
  settle(): Promise<void> {
    if (!this.pending) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.resync) clearInterval(this.resync);
    this.rollouts.stop();
    for (const w of this.waiters.splice(0)) w();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      try {
        this.bgp.reconcile();
        this.lbIpam.reconcile();
        // After LB-IPAM: a service is announced once it has an IP.
        this.l2.reconcile();
        this.rollouts.reconcile();
        this.agentPods.reconcile();
      } catch (err) {
        this.opts.onError(err);
      }
      // Our own status writes scheduled another pass; settle waits for that one too.
      if (!this.pending) for (const w of this.waiters.splice(0)) w();
    });
  }
}
