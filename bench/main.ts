import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as Y from 'yjs'
import { LoadGenerator } from './generatorProcess.js'
import { cleanUpOnExit, removeNow } from './lifecycle.js'
import type { ServerKind } from './protocol.js'
import {
  describeMachine,
  renderMarkdown,
  renderProblems,
  renderTable,
  renderVerdicts,
  serverNames,
  verdicts,
  idleCosts,
  type BenchResults,
  type IdleMeasurement,
  type MemoryOutcome,
  type MemoryUse,
  type TypingOutcome,
} from './report.js'
import {
  COLD_LOAD,
  HOST_STEAL_REPEAT_PERCENT,
  IDLE,
  KEYSTROKE_INTERVAL_MS,
  PARTS,
  REPEAT_BUDGET_SECONDS,
  SERVERS,
  TYPING_SCENARIOS,
  TYPING_SECONDS,
  WARMUP_SECONDS,
  type TypingScenario,
} from './scenarios.js'
import { DRAFTING_ROOM_MAIN, settleMachine, startServer, type RunningServer, type ServerOptions } from './servers.js'
import { sleep } from './timing.js'
import { traceDocument } from './trace.js'
import { prepareWorkspace, type Workspace } from './workspace.js'

/**
 * `npm run bench`: Drafting Room's production server, the reference
 * y-websocket server and Hocuspocus, each in its own process and started
 * afresh for every run, driven with the same load by a separate load
 * generator process; prints the table and writes `bench/RESULTS.md`.
 *
 * Options for shorter checks (a run with any of them leaves RESULTS.md alone):
 *   --only 1x50,1x200,20x10,cold,memory   parts to run
 *   --servers drafting-room,reference,hocuspocus
 *   --seconds N                           typing time per run (default 20)
 *   --drafting-room path/to/main.js       another build of the server, to compare a change
 */

const DEADLINE_MS = 10 * 60_000
const RESULTS_FILE = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url))
/** Time for idle connections just opened to settle before memory is read. */
const SETTLE_MS = 1000

const { values: options } = parseArgs({
  options: {
    only: { type: 'string', default: PARTS.join(',') },
    servers: { type: 'string', default: SERVERS.join(',') },
    seconds: { type: 'string', default: String(TYPING_SECONDS) },
    'drafting-room': { type: 'string', default: DRAFTING_ROOM_MAIN },
  },
})
const parts = new Set(options.only.split(','))
const servers = SERVERS.filter((kind) => options.servers.split(',').includes(kind))
const seconds = Number(options.seconds)
for (const part of parts) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only: unknown part ${part}; parts are ${PARTS.join(', ')}`)
if (servers.length === 0) throw new Error(`--servers: name one or more of ${SERVERS.join(', ')}`)
if (!(seconds > 0)) throw new Error('--seconds must be a positive number')
const fullRun = parts.size === PARTS.length && servers.length === SERVERS.length && seconds === TYPING_SECONDS && options['drafting-room'] === DRAFTING_ROOM_MAIN

cleanUpOnExit(DEADLINE_MS)
const names = serverNames()
const machine = describeMachine()
const startedAt = new Date()
const clock = performance.now()
const elapsed = (): string => `${((performance.now() - clock) / 1000).toFixed(0).padStart(3)} s`
const say = (message: string): void => console.log(`[${elapsed()}] ${message}`)

say(`Machine: ${machine}`)
say('Replaying the editing trace…')
const trace = traceDocument()
say(`Trace: ${trace.operations} operations, ${trace.characters} characters, ${trace.update.length} bytes as one update.`)

// Each typing run and idle measurement opens sections no earlier run opened;
// a repeated run takes a spare set.
const typingScenarios = TYPING_SCENARIOS.filter((scenario) => parts.has(scenario.id))
const roomsOf = new Map<TypingScenario, string[]>()
const spareRoomsOf = new Map<TypingScenario, string[][]>()
const typingSections = TYPING_SCENARIOS.reduce((sum, scenario) => sum + scenario.sections, 0)
const coldRooms = { providers: COLD_LOAD.providerTrials, raw: COLD_LOAD.rawTrials, crowd: 1 }
// Each scenario's sections, and a spare set of them per server for a repeat.
const sectionCount = typingSections * (1 + SERVERS.length) + 1 + IDLE.sections
say('Preparing Drafting Room’s data folder: demo workspace, sections, the trace in cold sections’ storage…')
const workspace = await prepareWorkspace({
  main: options['drafting-room'],
  sections: sectionCount,
  coldSections: coldRooms.providers + coldRooms.raw + coldRooms.crowd,
  trace: trace.update,
})
// Replaying the trace left ~90 MB of garbage here; V8 would collect it
// during the first runs, taking CPU from the server under test.
globalThis.gc?.()
const sections = [...workspace.sections]
for (const scenario of TYPING_SCENARIOS) roomsOf.set(scenario, sections.splice(0, scenario.sections))
const idleConnectionRoom = sections.splice(0, 1)
const idleSectionRooms = sections.splice(0, IDLE.sections)
for (const scenario of TYPING_SCENARIOS) spareRoomsOf.set(scenario, Array.from(SERVERS, () => sections.splice(0, scenario.sections)))

const results: BenchResults = {
  startedAt,
  durationSeconds: 0,
  typingSeconds: seconds,
  typing: [],
  cold: {},
  memory: {},
  trace: { operations: trace.operations, characters: trace.characters, bytes: workspace.coldState.length },
}

/**
 * Starts `kind` fresh, lets it settle, runs `work` against it with a fresh
 * load generator, and stops both. The server's peak RSS counts from after
 * the settling.
 */
async function withServer<T>(
  kind: ServerKind,
  options: ServerOptions,
  work: (server: RunningServer, generator: LoadGenerator) => Promise<T>,
): Promise<T> {
  return withServers([kind], () => options, ([server], generator) => work(server!, generator))
}

/** `withServer` for several servers at once, each in its own process, idle but for what `work` asks of them. */
async function withServers<T>(
  kinds: ServerKind[],
  optionsOf: (kind: ServerKind) => ServerOptions,
  work: (servers: RunningServer[], generator: LoadGenerator) => Promise<T>,
): Promise<T> {
  const running: RunningServer[] = []
  let generator: LoadGenerator | null = null
  try {
    for (const kind of kinds) running.push(await startServer(kind, optionsOf(kind)))
    generator = LoadGenerator.start()
    for (const server of running) await server.settle()
    await settleMachine()
    for (const server of running) server.resetPeakRss()
    return await work(running, generator)
  } catch (error) {
    const outputs = running.map((server) => `--- ${names[server.kind]} output ---\n${server.output()}`).join('\n')
    throw new Error(`${kinds.map((kind) => names[kind]).join(', ')}: ${(error as Error).message}\n${outputs}`)
  } finally {
    await Promise.all([generator?.stop(), ...running.map((server) => server.stop())])
  }
}

function optionsFor(kind: ServerKind, space: Workspace, preloadRooms: string[] = []): ServerOptions {
  if (kind === 'drafting-room') return { draftingRoom: { main: options['drafting-room'], env: space.env } }
  return preloadRooms.length > 0 ? { preload: { file: space.coldStateFile, rooms: preloadRooms } } : {}
}

const cookieOf = (kind: ServerKind): string | null => (kind === 'drafting-room' ? workspace.cookie : null)

async function typingRunOn(kind: ServerKind, scenario: TypingScenario, rooms: string[]): Promise<TypingOutcome> {
  return withServer(kind, optionsFor(kind, workspace), async (server, generator) => {
    const result = await generator.typing({
      target: server.target(cookieOf(kind)),
      rooms,
      clientsPerRoom: scenario.clientsPerSection,
      applyingPerRoom: scenario.applyingPerSection,
      keystrokesPerClient: Math.round((seconds * 1000) / KEYSTROKE_INTERVAL_MS),
      warmupKeystrokesPerClient: Math.round((WARMUP_SECONDS * 1000) / KEYSTROKE_INTERVAL_MS),
      intervalMs: KEYSTROKE_INTERVAL_MS,
    })
    return { ...result, peakRssBytes: server.peakRssBytes(), setAsideStealPercent: null }
  })
}

function sayTyping(outcome: TypingOutcome): void {
  say(
    `  p50 ${outcome.latency?.p50.toFixed(1)} ms, p99 ${outcome.latency?.p99.toFixed(1)} ms, ` +
      `${outcome.serverCpuMicrosPerDelivery.toFixed(2)} µs/delivery, converged ${outcome.converged ? 'yes' : 'NO'}, ` +
      `generator ${outcome.generatorCpuPercent.toFixed(0)}% CPU, host steal ${outcome.hostStealPercent.toFixed(1)}%`,
  )
}

let repeatSeconds = 0
for (const scenario of typingScenarios) {
  const entry: BenchResults['typing'][number] = { scenario, outcomes: {} }
  results.typing.push(entry)
  const spares = [...spareRoomsOf.get(scenario)!]
  for (const kind of servers) {
    say(`${scenario.title} on ${names[kind]}…`)
    const runStartedAt = performance.now()
    let outcome = await typingRunOn(kind, scenario, roomsOf.get(scenario)!)
    sayTyping(outcome)
    const runSeconds = (performance.now() - runStartedAt) / 1000
    if (outcome.hostStealPercent > HOST_STEAL_REPEAT_PERCENT && repeatSeconds + runSeconds <= REPEAT_BUDGET_SECONDS) {
      say(`  The host took ${outcome.hostStealPercent.toFixed(1)}% of the machine during that run; repeating it on fresh sections…`)
      const repeatStartedAt = performance.now()
      const repeat = await typingRunOn(kind, scenario, spares.shift()!)
      repeatSeconds += (performance.now() - repeatStartedAt) / 1000
      sayTyping(repeat)
      const [kept, setAside] = repeat.hostStealPercent < outcome.hostStealPercent ? [repeat, outcome] : [outcome, repeat]
      // Convergence is correctness, not noise: it must hold in both runs.
      outcome = {
        ...kept,
        setAsideStealPercent: setAside.hostStealPercent,
        converged: kept.converged && setAside.converged,
        problems: [...kept.problems, ...setAside.problems.map((problem) => `in the run set aside: ${problem}`)],
      }
    }
    entry.outcomes[kind] = outcome
  }
}

if (parts.has('cold')) {
  const [providerRooms, rawRooms, crowdRooms] = [
    workspace.coldSections.slice(0, coldRooms.providers),
    workspace.coldSections.slice(coldRooms.providers, coldRooms.providers + coldRooms.raw),
    workspace.coldSections.slice(coldRooms.providers + coldRooms.raw),
  ]
  // Each cold section also holds its own empty first paragraph; all hold the whole trace.
  const expectedStateVector = [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(trace.update))]
  say(`Cold load on ${servers.map((kind) => names[kind]).join(', ')}, taking turns (Drafting Room from storage, the others from memory)…`)
  const outcomes = await withServers(
    servers,
    (kind) => optionsFor(kind, workspace, workspace.coldSections),
    (running, generator) =>
      generator.cold({
        targets: running.map((server) => server.target(cookieOf(server.kind))),
        providerRooms,
        rawRooms,
        crowdRoom: crowdRooms[0]!,
        crowd: COLD_LOAD.crowd,
        expectedStateVector,
      }),
  )
  for (const [index, kind] of servers.entries()) {
    const outcome = outcomes[index]!
    results.cold[kind] = outcome
    say(`  ${names[kind]}: provider ${outcome.providerMs.toFixed(0)} ms, raw ${outcome.rawMs.toFixed(0)} ms, 20 at once max ${outcome.crowd?.max.toFixed(0)} ms`)
  }
}

if (parts.has('memory')) {
  for (const kind of servers) {
    say(`Idle memory on ${names[kind]}: ${IDLE.connections} connections to one section, then ${IDLE.sections} sections…`)
    const outcome: MemoryOutcome = {
      connections: await idleMemory(kind, idleConnectionRoom, IDLE.connections),
      sections: await idleMemory(kind, idleSectionRooms, 1),
    }
    results.memory[kind] = outcome
    const { connection, section } = idleCosts(outcome)
    say(`  ${(connection.heap / 1024).toFixed(1)} kB per connection, ${(section.heap / 1024).toFixed(1)} kB per section besides its connection (heap + external)`)
  }
}

/** A fresh server's memory before and after `perRoom` idle connections are opened to each of `rooms`. */
async function idleMemory(kind: ServerKind, rooms: string[], perRoom: number): Promise<IdleMeasurement> {
  const use = ({ heapUsed, external, rss }: NodeJS.MemoryUsage): MemoryUse => ({ heap: heapUsed + external, rss })
  return withServer(kind, optionsFor(kind, workspace), async (server, generator) => {
    const before = use(await server.memory())
    await generator.holdIdle(server.target(cookieOf(kind)), rooms, perRoom)
    await sleep(SETTLE_MS)
    const after = use(await server.memory())
    await generator.release()
    return { count: rooms.length * perRoom, before, after }
  })
}

results.durationSeconds = (performance.now() - clock) / 1000
removeNow(workspace.dataDir)
console.log(`\n${renderTable(results)}\n`)
console.log(renderVerdicts(verdicts(results)))
const problems = renderProblems(results)
if (problems.length > 0) console.log(`\nProblems:\n${problems.map((problem) => `  ${problem}`).join('\n')}`)
if (fullRun) {
  await writeFile(RESULTS_FILE, renderMarkdown(results, machine))
  console.log(`\nWrote bench/RESULTS.md (${results.durationSeconds.toFixed(0)} s).`)
} else {
  console.log(`\nA partial run (${results.durationSeconds.toFixed(0)} s): bench/RESULTS.md is left as it is.`)
}
