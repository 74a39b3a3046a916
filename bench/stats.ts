/** Small helpers shared by the benchmarks: percentiles, formatting, random picks. */

/** Nearest-rank percentile of an ascending array (p in 0..1). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(p * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

export function latency(samples: Float64Array): Latency {
  const sorted = samples.slice().sort();
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const ratio = (value: number) => `${value.toFixed(2)}x`;
export const int = (value: number) => Math.round(value).toLocaleString("en-US");

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** The middle value (nearest rank): of three rounds, the one that is neither best nor worst. */
export const median = (values: readonly number[]): number => percentile(Float64Array.from(values).sort(), 0.5);
