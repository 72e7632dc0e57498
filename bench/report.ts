import { readFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import type { ColdLoadResult } from './coldLoad.js'
import type { ServerKind } from './protocol.js'
import { COLD_LOAD, HOST_STEAL_REPEAT_PERCENT, REPEAT_BUDGET_SECONDS, SERVERS, WARMUP_SECONDS, type TypingScenario } from './scenarios.js'
import type { Distribution } from './stats.js'
import type { TypingRunResult } from './typingRun.js'

/** The bench's figures, printed as a table and written to `bench/RESULTS.md`. */

/** A typing run with the server's peak memory. */
export interface TypingOutcome extends TypingRunResult {
  peakRssBytes: number
  /** When the run was repeated (see HOST_STEAL_REPEAT_PERCENT): the host's steal in the run not reported. */
  setAsideStealPercent: number | null
}

/** A server's memory (after a full GC; heap is V8's heap plus external buffers), in bytes. */
export interface MemoryUse {
  heap: number
  rss: number
}

/** Memory before and after opening `count` idle connections. */
export interface IdleMeasurement {
  count: number
  before: MemoryUse
  after: MemoryUse
}

/** Idle connections all to one section, and idle sections with one connection each, each on a fresh server. */
export interface MemoryOutcome {
  connections: IdleMeasurement
  sections: IdleMeasurement
}

/** The cost of one idle connection, and of one idle open section apart from its connection. */
export function idleCosts(outcome: MemoryOutcome): { connection: MemoryUse; section: MemoryUse } {
  const per = ({ count, before, after }: IdleMeasurement): MemoryUse => ({
    heap: (after.heap - before.heap) / count,
    rss: (after.rss - before.rss) / count,
  })
  const connection = per(outcome.connections)
  const sectionWithConnection = per(outcome.sections)
  return { connection, section: { heap: sectionWithConnection.heap - connection.heap, rss: sectionWithConnection.rss - connection.rss } }
}

/** Everything one bench run measured. */
export interface BenchResults {
  startedAt: Date
  durationSeconds: number
  typingSeconds: number
  typing: Array<{ scenario: TypingScenario; outcomes: Partial<Record<ServerKind, TypingOutcome>> }>
  cold: Partial<Record<ServerKind, ColdLoadResult>>
  memory: Partial<Record<ServerKind, MemoryOutcome>>
  trace: { operations: number; characters: number; bytes: number }
}

/** Whether a figure is better low or high; the ratio column compares Drafting Room with the best other. */
type Better = 'lower' | 'higher'

interface Row {
  group: string
  figure: string
  cells: Record<ServerKind, string>
  ratio: string
}

/** The servers' names as the table shows them, with the versions installed. */
export function serverNames(): Record<ServerKind, string> {
  return {
    'drafting-room': 'Drafting Room',
    reference: `y-websocket-server ${installedVersion('@y/websocket-server')}`,
    hocuspocus: `Hocuspocus ${installedVersion('@hocuspocus/server')}`,
  }
}

function installedVersion(name: string): string {
  const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url)
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

/** The machine the bench ran on, in one line. */
export function describeMachine(): string {
  const [first] = cpus()
  const load = loadavg().map((value) => value.toFixed(2)).join(' ')
  return `${cpus().length} cores (${first?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, Linux ${release()}; load average at start ${load}`
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2))
const micros = (value: number): string => value.toFixed(2)
const megabytes = (bytes: number): string => (bytes / 2 ** 20).toFixed(0)
const kilobytes = (bytes: number): string => (bytes / 1024).toFixed(1)
const thousands = (value: number): string => Math.round(value).toLocaleString('en-US')

function rows(results: BenchResults): Row[] {
  const table: Row[] = []
  const add = <T>(
    group: string,
    figure: string,
    of: Partial<Record<ServerKind, T>>,
    value: (outcome: T) => number | null,
    format: (value: number) => string,
    better: Better | null,
  ): void => {
    const values = Object.fromEntries(SERVERS.map((kind) => [kind, of[kind] === undefined ? null : value(of[kind]!)])) as Record<ServerKind, number | null>
    table.push({
      group,
      figure,
      cells: Object.fromEntries(SERVERS.map((kind) => [kind, values[kind] === null ? '—' : format(values[kind]!)])) as Record<ServerKind, string>,
      ratio: better ? ratio(values, better) : '',
    })
  }
  const text = (group: string, figure: string, cells: Record<ServerKind, string>): void => {
    table.push({ group, figure, cells, ratio: '' })
  }
  for (const { scenario, outcomes } of results.typing) {
    const group = scenario.title
    const latency = (pick: (distribution: Distribution) => number) => (outcome: TypingOutcome) => (outcome.latency ? pick(outcome.latency) : null)
    add(group, 'latency p50 (ms)', outcomes, latency((d) => d.p50), ms, 'lower')
    add(group, 'latency p99 (ms)', outcomes, latency((d) => d.p99), ms, 'lower')
    add(group, 'latency max (ms)', outcomes, latency((d) => d.max), ms, 'lower')
    add(group, 'deliveries per second', outcomes, (outcome) => outcome.deliveriesPerSecond, thousands, 'higher')
    add(group, 'server CPU per delivery (µs)', outcomes, (outcome) => outcome.serverCpuMicrosPerDelivery, micros, 'lower')
    add(group, 'server peak RSS (MB)', outcomes, (outcome) => outcome.peakRssBytes, megabytes, 'lower')
    add(group, 'last keystroke → last delivery (ms)', outcomes, (outcome) => outcome.lastKeystrokeToLastDeliveryMs, ms, 'lower')
    text(group, 'converged', cellsOf(outcomes, (outcome) => (outcome.converged ? 'yes' : 'NO')))
    add(group, 'persist ack p50 (ms)', outcomes, (outcome) => outcome.persistAck?.p50 ?? null, ms, null)
    add(group, 'persist ack p95 (ms)', outcomes, (outcome) => outcome.persistAck?.p95 ?? null, ms, null)
    add(group, 'load generator CPU (% of a core)', outcomes, (outcome) => outcome.generatorCpuPercent, (value) => value.toFixed(0), null)
    add(group, 'CPU taken by the host (steal, % of the machine)', outcomes, (outcome) => outcome.hostStealPercent, (value) => value.toFixed(1), null)
    add(group, 'repeated: host steal in the run set aside (%)', outcomes, (outcome) => outcome.setAsideStealPercent, (value) => value.toFixed(1), null)
    add(group, 'typing took (s)', outcomes, (outcome) => outcome.typingSeconds, (value) => value.toFixed(1), null)
  }
  if (Object.keys(results.cold).length > 0) {
    const group = `cold load (${thousands(results.trace.operations)} ops, ${thousands(results.trace.characters)} chars, ${kilobytes(results.trace.bytes)} kB)`
    add(group, '1 provider, until synced (ms)', results.cold, (outcome) => outcome.providerMs, ms, 'lower')
    add(group, '1 raw client, until state received (ms)', results.cold, (outcome) => outcome.rawMs, ms, 'lower')
    add(group, '20 raw clients at once, p50 (ms)', results.cold, (outcome) => outcome.crowd?.p50 ?? null, ms, 'lower')
    add(group, '20 raw clients at once, max (ms)', results.cold, (outcome) => outcome.crowd?.max ?? null, ms, 'lower')
    text(group, 'every client got the whole document', cellsOf(results.cold, (outcome) => (outcome.complete ? 'yes' : 'NO')))
  }
  if (Object.keys(results.memory).length > 0) {
    const group = 'idle memory (after a full GC)'
    const span = (pick: (outcome: MemoryOutcome) => IdleMeasurement, of: keyof MemoryUse) => (outcome: MemoryOutcome) =>
      `${megabytes(pick(outcome).before[of])} → ${megabytes(pick(outcome).after[of])}`
    const connections = Object.values(results.memory)[0]!.connections.count
    const sections = Object.values(results.memory)[0]!.sections.count
    text(group, `${thousands(connections)} connections to a section: heap + external (MB)`, cellsOf(results.memory, span((outcome) => outcome.connections, 'heap')))
    text(group, `${thousands(connections)} connections to a section: RSS (MB)`, cellsOf(results.memory, span((outcome) => outcome.connections, 'rss')))
    text(group, `${thousands(sections)} sections, a connection each: heap + external (MB)`, cellsOf(results.memory, span((outcome) => outcome.sections, 'heap')))
    text(group, `${thousands(sections)} sections, a connection each: RSS (MB)`, cellsOf(results.memory, span((outcome) => outcome.sections, 'rss')))
    const costs = (pick: (costs: ReturnType<typeof idleCosts>) => number) => (outcome: MemoryOutcome) => pick(idleCosts(outcome))
    add(group, 'per idle connection, heap + external (kB)', results.memory, costs((cost) => cost.connection.heap), kilobytes, 'lower')
    add(group, 'per idle connection, RSS (kB)', results.memory, costs((cost) => cost.connection.rss), kilobytes, 'lower')
    add(group, 'per idle open section without its connection, heap + external (kB)', results.memory, costs((cost) => cost.section.heap), kilobytes, 'lower')
    add(group, 'per idle open section without its connection, RSS (kB)', results.memory, costs((cost) => cost.section.rss), kilobytes, 'lower')
  }
  return table
}

function cellsOf<T>(of: Partial<Record<ServerKind, T>>, cell: (outcome: T) => string): Record<ServerKind, string> {
  return Object.fromEntries(SERVERS.map((kind) => [kind, of[kind] === undefined ? '—' : cell(of[kind]!)])) as Record<ServerKind, string>
}

/** Drafting Room's figure divided by the best other server's. */
function ratio(values: Record<ServerKind, number | null>, better: Better): string {
  const own = values['drafting-room']
  const others = SERVERS.filter((kind) => kind !== 'drafting-room')
    .map((kind) => values[kind])
    .filter((value): value is number => value !== null && Number.isFinite(value))
  if (own === null || !Number.isFinite(own) || others.length === 0) return '—'
  const best = better === 'lower' ? Math.min(...others) : Math.max(...others)
  return best === 0 ? '—' : `${(own / best).toFixed(2)}×`
}

/** The table for a terminal. */
export function renderTable(results: BenchResults): string {
  const names = serverNames()
  const header = ['', 'figure', ...SERVERS.map((kind) => names[kind]), 'DR ÷ best other']
  const body = rows(results).map((row, index, all) => [
    index === 0 || all[index - 1]!.group !== row.group ? row.group : '',
    row.figure,
    ...SERVERS.map((kind) => row.cells[kind]),
    row.ratio,
  ])
  const widths = header.map((_cell, column) => Math.max(...[header, ...body].map((line) => line[column]!.length)))
  const line = (cells: string[]): string =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd()
  return [line(header), ...body.map(line)].join('\n')
}

/** One acceptance point of issue 6, judged on this run; `met` is null when the run lacks the figures. */
export interface Verdict {
  point: string
  met: boolean | null
  detail: string
}

/** The acceptance points 2 and 3 of issue 6, judged on this run. */
export function verdicts(results: BenchResults): Verdict[] {
  const list: Verdict[] = []
  const othersOf = <T>(of: Partial<Record<ServerKind, T>>): T[] =>
    SERVERS.filter((kind) => kind !== 'drafting-room' && of[kind] !== undefined).map((kind) => of[kind]!)
  for (const { scenario, outcomes } of results.typing) {
    const p99 = (outcome: TypingOutcome): number => outcome.latency?.p99 ?? Number.POSITIVE_INFINITY
    list.push(
      againstBest(`${scenario.title}: p99 no worse than the best other`, outcomes['drafting-room'], othersOf(outcomes), p99, (value) => `${ms(value)} ms`),
    )
    list.push({
      point: `${scenario.title}: every client converged`,
      met: outcomes['drafting-room'] ? outcomes['drafting-room'].converged : null,
      detail: SERVERS.filter((kind) => outcomes[kind] !== undefined)
        .map((kind) => `${kind} ${outcomes[kind]!.converged ? 'yes' : 'NO'}`)
        .join(', '),
    })
  }
  const crowd = results.typing.find(({ scenario }) => scenario.id === '1x200')?.outcomes
  if (crowd) {
    list.push(
      againstBest(
        '1 × 200: server CPU per delivery at most half the best other',
        crowd['drafting-room'],
        othersOf(crowd),
        (outcome) => outcome.serverCpuMicrosPerDelivery,
        (value) => `${micros(value)} µs`,
        0.5,
      ),
    )
  }
  const fifty = results.typing.find(({ scenario }) => scenario.id === '1x50')?.outcomes['drafting-room']?.persistAck
  list.push({
    point: '1 × 50: persist acknowledgement p95 under 250 ms',
    met: fifty ? fifty.p95 < 250 : null,
    detail: fifty ? `${ms(fifty.p95)} ms` : 'not measured',
  })
  const figures: Array<[string, (outcome: ColdLoadResult) => number]> = [
    ['1 provider', (outcome) => outcome.providerMs],
    ['1 raw client', (outcome) => outcome.rawMs],
    ['20 at once (max)', (outcome) => outcome.crowd?.max ?? Number.POSITIVE_INFINITY],
  ]
  if (Object.keys(results.cold).length > 0) {
    for (const [name, figure] of figures) {
      const point = `cold load from storage, ${name}: no slower than the best other from memory`
      list.push(againstBest(point, results.cold['drafting-room'], othersOf(results.cold), figure, (value) => `${ms(value)} ms`))
    }
  }
  return list
}

/** Whether Drafting Room's figure is at most `factor` × the best (lowest) of the others'. */
function againstBest<T>(point: string, own: T | undefined, others: T[], figure: (outcome: T) => number, format: (value: number) => string, factor = 1): Verdict {
  if (own === undefined) return { point, met: null, detail: 'Drafting Room was not measured' }
  if (others.length === 0) return { point, met: null, detail: `${format(figure(own))}; no other server was measured` }
  const best = Math.min(...others.map(figure))
  return { point, met: figure(own) <= best * factor, detail: `${format(figure(own))} vs ${format(best)}` }
}

/** The verdicts as lines. */
export function renderVerdicts(list: Verdict[]): string {
  return list.map((verdict) => `${verdict.met === null ? '?' : verdict.met ? '✓' : '✗'} ${verdict.point} — ${verdict.detail}`).join('\n')
}

/** Problems the runs reported, one line each. */
export function renderProblems(results: BenchResults): string[] {
  const names = serverNames()
  return results.typing.flatMap(({ scenario, outcomes }) =>
    SERVERS.flatMap((kind) => (outcomes[kind]?.problems ?? []).map((problem) => `${scenario.title}, ${names[kind]}: ${problem}`)),
  )
}

/** `bench/RESULTS.md`: the machine, the date, the table and the verdicts. */
export function renderMarkdown(results: BenchResults, machine: string): string {
  const names = serverNames()
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|')
  const table = [
    `| | figure | ${SERVERS.map((kind) => names[kind]).join(' | ')} | DR ÷ best other |`,
    `|---|---|${SERVERS.map(() => '--:').join('|')}|--:|`,
    ...rows(results).map(
      (row, index, all) =>
        `| ${index === 0 || all[index - 1]!.group !== row.group ? `**${escape(row.group)}**` : ''} | ${escape(row.figure)} | ${SERVERS.map((kind) => row.cells[kind]).join(' | ')} | ${row.ratio} |`,
    ),
  ]
  const problems = renderProblems(results)
  return [
    '# `npm run bench` results',
    '',
    `Run on ${results.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${results.durationSeconds.toFixed(0)} s in all.`,
    '',
    `Machine: ${machine}.`,
    '',
    `Each client types one character every 200 ms for ${results.typingSeconds} s, measured, after ${WARMUP_SECONDS} s of the same typing that warms up the server and the load generator and is not measured, each run starting on a quiet machine; 10 clients per section (5 in 20 × 10) are real providers that apply, time and check, the others receive on raw sockets. ` +
      'Latency is keystroke → applied by another client; a delivery is one keystroke reaching one other client; the ratio is Drafting Room ÷ the best other server (below 1× is better for every figure but deliveries per second). ' +
      'Drafting Room runs its production build with authentication, permissions and persistence (every batch on disk before it is acknowledged) on; the others hold everything in memory. ' +
      `Cold load: the servers run at once, idle, and take turns trial by trial (${COLD_LOAD.providerTrials} providers, ${COLD_LOAD.rawTrials} raw clients, medians), each going first in turn, so that the load generator meets each in the same state; ${COLD_LOAD.crowd} at once go to one server at a time. ` +
      `This machine is a virtual one: a typing run during which the host gave more than ${HOST_STEAL_REPEAT_PERCENT}% of its CPU to other guests (steal) is repeated once on fresh sections, as long as repeats take at most ${REPEAT_BUDGET_SECONDS} s in all, and the run the host disturbed less is reported (both must converge); the decision never looks at the run's figures.`,
    '',
    ...table,
    '',
    '## Acceptance (issue 6, points 2 and 3)',
    '',
    ...renderVerdicts(verdicts(results)).split('\n').map((line) => `- ${line}`),
    ...(problems.length > 0 ? ['', '## Problems the runs reported', '', ...problems.map((problem) => `- ${problem}`)] : []),
    '',
  ].join('\n')
}
