import { randomInt } from 'node:crypto'
import { ApplyingClient, RawClient, type TypingClient } from './clients.js'
import { KeystrokeLog, Samples } from './keystrokes.js'
import { cpuMicros, machineTicks } from './processStats.js'
import { dialectOf, type Dialect, type Target } from './protocol.js'
import { distribution, type Distribution } from './stats.js'
import { pollUntil, sleep, withTimeout } from './timing.js'

/** One typing scenario against one server. */
export interface TypingRunRequest {
  target: Target
  /** One room (section) per entry; each gets `clientsPerRoom` clients. */
  rooms: string[]
  clientsPerRoom: number
  /** How many clients of each room are real providers that apply and time updates. */
  applyingPerRoom: number
  /** Measured keystrokes per client… */
  keystrokesPerClient: number
  /** …after these, typed first and not measured. */
  warmupKeystrokesPerClient: number
  intervalMs: number
}

/** What a typing run measured. */
export interface TypingRunResult {
  /** Keystroke typed → applied by another client (applying clients only). */
  latency: Distribution | null
  /** Keystroke typed → the server says it is on disk (Drafting Room only). */
  persistAck: Distribution | null
  /** Keystrokes received, by every client, of every other client in its room. */
  deliveries: number
  deliveriesPerSecond: number
  serverCpuMicrosPerDelivery: number
  lastKeystrokeToLastDeliveryMs: number
  /** From the first measured keystroke to the last, across all clients: longer than asked when the generator falls behind. */
  typingSeconds: number
  /** The generator's CPU over the run, in % of one core. */
  generatorCpuPercent: number
  /**
   * The machine's CPU time the hypervisor gave to other guests over the
   * run (steal), in % of all cores: time neither server nor generator could run.
   */
  hostStealPercent: number
  converged: boolean
  /** What went wrong, for the report. */
  problems: string[]
}

const CONNECT_WAVE = 50
const CONNECT_TIMEOUT_MS = 30_000
const SETTLE_MS = 1000
// Long enough for a server that falls far behind (the reference one in 1 × 200) to catch up.
const DRAIN_TIMEOUT_MS = 120_000
const PERSIST_TIMEOUT_MS = 10_000
const VERIFY_TIMEOUT_MS = 20_000

interface Room {
  name: string
  clients: TypingClient[]
  applying: ApplyingClient[]
}

/**
 * Connects every client, lets each type one character every `intervalMs`
 * (their phases spread evenly over the interval), waits until every
 * keystroke reached every other client of its room, then checks that the
 * room converged, the server's copy included. Latency, CPU and deliveries
 * are measured from the end of the warm-up on; convergence over everything.
 */
export async function typingRun(request: TypingRunRequest): Promise<TypingRunResult> {
  const { target } = request
  const dialect = dialectOf(target)
  const log = new KeystrokeLog()
  const samples = new Samples()
  // Fresh ids per run keep them unique without coordination.
  let nextId = randomInt(1, 2 ** 31 - 1_000_000)
  const rooms: Room[] = request.rooms.map((name) => ({ name, clients: [], applying: [] }))
  const roomOf = new Map<TypingClient, Room>()
  const everyone: TypingClient[] = []
  try {
    const creators: Array<() => TypingClient> = []
    for (const room of rooms) {
      for (let index = 0; index < request.clientsPerRoom; index++) {
        const id = nextId++
        log.addAuthor(id)
        creators.push(() => {
          const client =
            index < request.applyingPerRoom ? new ApplyingClient(dialect, room.name, id, log, samples) : new RawClient(dialect, room.name, id, log)
          if (client instanceof ApplyingClient) room.applying.push(client)
          room.clients.push(client)
          roomOf.set(client, room)
          return client
        })
      }
    }
    // In waves, so that connecting does not time out behind a queue of handshakes.
    for (let start = 0; start < creators.length; start += CONNECT_WAVE) {
      const wave = creators.slice(start, start + CONNECT_WAVE).map((create) => create())
      everyone.push(...wave)
      await withTimeout(Promise.all(wave.map((client) => client.ready)), CONNECT_TIMEOUT_MS, 'clients to connect and sync')
    }
    await sleep(SETTLE_MS)

    const startedAt = performance.now()
    const measuredFrom = startedAt + request.warmupKeystrokesPerClient * request.intervalMs
    samples.measuredFrom = measuredFrom
    const delivered = (): number => everyone.reduce((sum, client) => sum + client.deliveries, 0)
    let before = { cpu: 0, own: process.cpuUsage(), machine: machineTicks(), deliveries: 0 }
    const measuring = sleep(measuredFrom - startedAt).then(() => {
      before = { cpu: cpuMicros(target.pid), own: process.cpuUsage(), machine: machineTicks(), deliveries: delivered() }
    })
    // Rooms interleaved, so that every room's clients are spread over the phases.
    const order = interleave(rooms.map((room) => room.clients))
    const keystrokes = request.warmupKeystrokesPerClient + request.keystrokesPerClient
    await Promise.all(
      order.map((client, index) => typeOnSchedule(client, startedAt + (index / order.length) * request.intervalMs, keystrokes, request.intervalMs)),
    )
    await measuring
    const expected = new Map(everyone.map((client) => [client, expectedFor(roomOf.get(client)!, client, log)]))
    const drained = await pollUntil(() => everyone.every((client) => client.deliveries >= expected.get(client)!), DRAIN_TIMEOUT_MS)
    const cpuAfter = cpuMicros(target.pid)
    const own = process.cpuUsage(before.own)
    const machine = machineTicks()
    const endedAt = performance.now()

    const problems: string[] = []
    if (!drained) problems.push(`not every keystroke arrived within ${DRAIN_TIMEOUT_MS / 1000} s of the last one`)
    if (target.kind === 'drafting-room') {
      const acknowledged = await pollUntil(() => rooms.every((room) => room.applying.every((client) => client.allAcknowledged)), PERSIST_TIMEOUT_MS)
      if (!acknowledged) problems.push('not every keystroke was reported on disk')
    }
    let converged = drained
    for (const room of rooms) {
      const issues = await checkRoom(room, dialect, log, nextId++)
      problems.push(...issues)
      if (issues.length > 0) converged = false
    }
    const drops = everyone.reduce((sum, client) => sum + client.drops.count, 0)
    if (drops > 0) {
      const last = everyone.filter((client) => client.drops.count > 0).at(-1)!.drops.last
      problems.push(`${drops} connections dropped during the run (last: ${last})`)
    }

    const deliveries = delivered() - before.deliveries
    const lastDeliveryAt = Math.max(...everyone.map((client) => client.lastDeliveryAt))
    return {
      latency: distribution(samples.latencies),
      persistAck: distribution(samples.persistAcks),
      deliveries,
      deliveriesPerSecond: deliveries / ((lastDeliveryAt - measuredFrom) / 1000),
      serverCpuMicrosPerDelivery: (cpuAfter - before.cpu) / deliveries,
      lastKeystrokeToLastDeliveryMs: lastDeliveryAt - log.lastAt,
      typingSeconds: (log.lastAt - measuredFrom) / 1000,
      generatorCpuPercent: ((own.user + own.system) / ((endedAt - measuredFrom) * 1000)) * 100,
      hostStealPercent: ((machine.steal - before.machine.steal) / (machine.total - before.machine.total)) * 100,
      converged,
      problems,
    }
  } finally {
    for (const client of everyone) client.close()
  }
}

/** Types `count` characters, the first at `firstAt`, then one every `intervalMs` (drift-free). */
function typeOnSchedule(client: TypingClient, firstAt: number, count: number, intervalMs: number): Promise<void> {
  return new Promise((resolve) => {
    let typed = 0
    const next = (): void => {
      client.type()
      typed++
      if (typed === count) return resolve()
      setTimeout(next, Math.max(0, firstAt + typed * intervalMs - performance.now()))
    }
    setTimeout(next, Math.max(0, firstAt - performance.now()))
  })
}

function interleave<T>(lists: T[][]): T[] {
  const result: T[] = []
  const longest = Math.max(...lists.map((list) => list.length))
  for (let index = 0; index < longest; index++) for (const list of lists) if (index < list.length) result.push(list[index]!)
  return result
}

/**
 * Whether a room converged: every applying client has every keystroke of
 * the room and the same text, which a fresh client syncing from the server
 * has too; and every raw client received every keystroke of the others.
 */
async function checkRoom(room: Room, dialect: Dialect, log: KeystrokeLog, verifierId: number): Promise<string[]> {
  const problems: string[] = []
  const reference = room.applying[0]
  const verifier = new ApplyingClient(dialect, room.name, verifierId, log, new Samples())
  try {
    await withTimeout(verifier.ready, VERIFY_TIMEOUT_MS, `a fresh client to sync ${room.name}`)
    const copies = [...room.applying, verifier]
    for (const copy of copies) {
      const missing = room.clients.filter((author) => copy.has(author.id) < log.countOf(author.id)).length
      if (missing > 0) problems.push(`${room.name}: a client lacks keystrokes of ${missing} authors`)
      if (reference && copy.content() !== reference.content()) problems.push(`${room.name}: two clients hold different text`)
    }
  } catch (error) {
    problems.push((error as Error).message)
  } finally {
    verifier.close()
  }
  const short = room.clients.filter((client) => client instanceof RawClient && client.deliveries !== expectedFor(room, client, log)).length
  if (short > 0) problems.push(`${room.name}: ${short} raw clients did not receive exactly every keystroke`)
  return problems
}

/** How many keystrokes `client` should receive: every one typed by the others in its room. */
function expectedFor(room: Room, client: TypingClient, log: KeystrokeLog): number {
  return room.clients.reduce((sum, other) => sum + (other === client ? 0 : log.countOf(other.id)), 0)
}
