import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

/** What the kernel says about another process, from `/proc/<pid>/`. Linux only. */

let ticksPerSecond: number | null = null

function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  return ticksPerSecond
}

/** CPU time `pid` has used so far, user and system, all its threads, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Field 2 (the command) may contain spaces; the fields after its closing
  // parenthesis start with field 3, so utime (14) and stime (15) are at 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks * 1_000_000) / clockTicksPerSecond()
}

/**
 * Time the whole machine's cores have spent busy and in all so far, and
 * what of it the hypervisor gave to others (steal), from `/proc/stat`, in
 * clock ticks.
 */
export function machineTicks(): { busy: number; total: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
  // cpu  user nice system idle iowait irq softirq steal …
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const total = ticks.reduce((sum, value) => sum + value, 0)
  return { busy: total - ticks[3]! - ticks[4]!, total, steal: ticks[7]! }
}

/** The peak resident set size of `pid` so far (VmHWM), in bytes. */
export function peakRssBytes(pid: number): number {
  return statusKilobytes(pid, 'VmHWM') * 1024
}

/**
 * Resets the peak resident set size of `pid` to its current size, so that
 * `peakRssBytes` covers what happens from now on (e.g. not a start-up spike).
 */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5')
}

function statusKilobytes(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)
  if (!match) throw new Error(`/proc/${pid}/status has no ${field} line`)
  return Number(match[1])
}
