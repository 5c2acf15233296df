import { systemClock } from '../shared/runtime/clock.js';
// Small statistics and formatting shared by the benchmarks: every bench prints the same way.

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly n: number;
}

/** Nearest-rank quantile of an ascending list (q in 0..1). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(mid)] as number) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN, n: sorted.length };
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN, n: sorted.length };
}

export const seconds = (ms: number, digits = 2): string => `${(ms / 1000).toFixed(digits)} s`;
export const millis = (ms: number, digits = 1): string => `${ms.toFixed(digits)} ms`;
export const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)} %`;
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

export const showSpread = (s: Spread, unit: (ms: number) => string = seconds): string =>
  `median ${unit(s.median)}  min ${unit(s.min)}  max ${unit(s.max)}  (n=${s.n})`;
export const showPercentiles = (p: Percentiles): string =>
  `p50 ${millis(p.p50)}  p90 ${millis(p.p90)}  p99 ${millis(p.p99)}  max ${millis(p.max)}  (n=${p.n})`;

export const sleep = (ms: number): Promise<void> => systemClock.sleep(ms);
