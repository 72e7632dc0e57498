/** Summaries of measured samples. */

/** A distribution of samples (milliseconds, usually). */
export interface Distribution {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** The distribution of `samples`, or null if there are none. Nearest-rank percentiles. */
export function distribution(samples: readonly number[]): Distribution | null {
  if (samples.length === 0) return null
  const sorted = Float64Array.from(samples).sort()
  const at = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1]! }
}

/** The median of `values` (the lower one of an even count); NaN if there are none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}
