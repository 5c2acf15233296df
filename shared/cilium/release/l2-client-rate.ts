// The API rate the L2 announcements' leader election needs, by the L2 announcements guide
// (https://docs.cilium.io/en/stable/network/l2-announcements/#sizing-client-rate-limit,
// Documentation/network/l2-announcements.rst): every announced service holds a Lease that its
// holder renews once per renew deadline, so in the worst case one node needs
//   QPS = #services × (1 / leaseRenewDeadline)
// and the burst "slightly higher". The agent's client defaults are client-go's, 5 QPS and a
// burst of 10 (pkg/option/config.go: "Defaults to k8s client defaults"); the renew deadline
// defaults to 5s (l2-announcements-renew-deadline).

export const defaultClientQps = 5;
export const defaultClientBurst = 10;
export const defaultRenewDeadline = '5s';

const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go duration text → seconds; undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  if (!/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * (units[m[2] ?? 's'] ?? 1);
  return total;
}

export interface ClientRateAdvice {
  readonly services: number;
  readonly renewDeadlineSeconds: number;
  readonly neededQps: number;
  readonly qps: number;
  readonly burst: number;
  /** True when the configured rate is below what the guide sizes for. */
  readonly short: boolean;
  /** What to set: the QPS rounded up, and a burst above it. */
  readonly suggestedQps: number;
  readonly suggestedBurst: number;
}

export function clientRateAdvice(services: number, get: (key: string) => string | undefined): ClientRateAdvice {
  const renewDeadlineSeconds = durationSeconds(get('l2-announcements-renew-deadline') ?? defaultRenewDeadline) ?? 5;
  const neededQps = renewDeadlineSeconds > 0 ? services / renewDeadlineSeconds : services;
  const qps = Number(get('k8s-client-qps') ?? defaultClientQps);
  const burst = Number(get('k8s-client-burst') ?? defaultClientBurst);
  const suggestedQps = Math.max(defaultClientQps, Math.ceil(neededQps));
  return {
    services,
    renewDeadlineSeconds,
    neededQps,
    qps,
    burst,
    short: qps < neededQps || burst <= neededQps,
    suggestedQps,
    suggestedBurst: Math.max(defaultClientBurst, suggestedQps * 2),
  };
}
