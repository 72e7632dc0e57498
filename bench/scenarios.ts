import type { ServerKind } from './protocol.js'

/** The bench's load, as issue 6 specifies it. */

/** Clients typing into sections. */
export interface TypingScenario {
  id: string
  title: string
  sections: number
  clientsPerSection: number
  /**
   * Clients per section that are real providers: they apply, time and
   * check; the rest are raw. In 20 × 10 that would be every client, and 200
   * providers applying every keystroke saturate the load generator on two
   * cores, so half of each section is raw there.
   */
  applyingPerSection: number
}

export const TYPING_SCENARIOS: readonly TypingScenario[] = [
  { id: '1x50', title: '1 section × 50 clients', sections: 1, clientsPerSection: 50, applyingPerSection: 10 },
  { id: '1x200', title: '1 section × 200 clients', sections: 1, clientsPerSection: 200, applyingPerSection: 10 },
  { id: '20x10', title: '20 sections × 10 clients', sections: 20, clientsPerSection: 10, applyingPerSection: 5 },
]
/** Each client types one character this often… */
export const KEYSTROKE_INTERVAL_MS = 200
/** …for this long… */
export const TYPING_SECONDS = 20
/**
 * …after typing this long unmeasured: a fresh process runs unoptimised code
 * for its first seconds under load (the load generator's no less than the
 * server's), which is not what a server in use does.
 */
export const WARMUP_SECONDS = 5

/**
 * A typing run during which the hypervisor gave more than this share of the
 * machine's CPU to other guests (steal, in %) measured the host more than
 * the server; it is repeated once on fresh sections, and the run the host
 * disturbed less is reported. The decision never looks at the run's figures.
 */
export const HOST_STEAL_REPEAT_PERCENT = 3
/**
 * Repeats take at most this many seconds in all, judged by the length of
 * the run to repeat: a full bench takes 6.5-7.5 minutes without them (the
 * reference server's 1 × 200 alone 75-150 s), and must end within its
 * 10-minute deadline.
 */
export const REPEAT_BUDGET_SECONDS = 120

/**
 * Cold load of the trace document: fresh real providers one at a time, raw
 * clients one at a time, then a crowd at once. A provider's time is mostly
 * its own applying of the document, 15-50 ms from one trial to the next
 * on any server: with nine trials a server, the median moved by 10 ms
 * between runs, more than the servers' difference. A raw client's time
 * ranges 5-35 ms from trial to trial, the same on every server; with nine
 * trials its median moved between 7 and 17 ms.
 */
export const COLD_LOAD = { providerTrials: 21, rawTrials: 21, crowd: 20 } as const

/** Idle memory: this many connections to one section, and this many sections with one connection each. */
export const IDLE = { connections: 1000, sections: 100 } as const

/** The servers, Drafting Room first. */
export const SERVERS: readonly ServerKind[] = ['drafting-room', 'reference', 'hocuspocus']

/** Every part of a run, for `--only`. */
export const PARTS = [...TYPING_SCENARIOS.map((scenario) => scenario.id), 'cold', 'memory'] as const
