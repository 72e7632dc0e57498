import { randomInt } from 'node:crypto'
import * as Y from 'yjs'
import { RawClient } from './clients.js'
import { KeystrokeLog } from './keystrokes.js'
import { dialectOf, type Target } from './protocol.js'
import { distribution, median, type Distribution } from './stats.js'
import { withTimeout } from './timing.js'

/** The cold-load scenario against one server: rooms that each hold the large document, none opened yet. */
export interface ColdLoadRequest {
  target: Target
  /** One fresh real provider each, one after the other. */
  providerRooms: string[]
  /** One fresh raw client each, one after the other. */
  rawRooms: string[]
  /** `crowd` raw clients at once. */
  crowdRoom: string
  crowd: number
  /** The document's state vector, as [client, clock] pairs: a client that synced has all of it. */
  expectedStateVector: Array<[number, number]>
}

/** What the cold-load scenario measured, in milliseconds from opening the socket. */
export interface ColdLoadResult {
  /** A real provider until synced (received and applied the document), median of its trials. */
  providerMs: number
  /** A raw client until the server's sync step 2 with the whole document arrived, median. */
  rawMs: number
  /** The same for each of `crowd` raw clients connecting at once. */
  crowd: Distribution | null
  /** Whether every client got the whole document. */
  complete: boolean
}

const SYNC_TIMEOUT_MS = 30_000

/**
 * Times fresh clients syncing the large document. A real provider's time
 * includes applying it, which costs the same on every server; raw clients
 * show the server's part alone, and do not saturate the generator when
 * twenty arrive at once.
 */
export async function coldLoad(request: ColdLoadRequest): Promise<ColdLoadResult> {
  const dialect = dialectOf(request.target)
  const log = new KeystrokeLog()
  let nextId = randomInt(1, 2 ** 31 - 1000)
  let complete = true
  const covers = (stateVector: Map<number, number>): boolean =>
    request.expectedStateVector.every(([client, clock]) => (stateVector.get(client) ?? 0) >= clock)

  const providerTimes: number[] = []
  for (const room of request.providerRooms) {
    const doc = new Y.Doc()
    const startedAt = performance.now()
    const provider = dialect.provider(room, doc)
    try {
      await withTimeout(provider.synced, SYNC_TIMEOUT_MS, `a provider to sync ${room}`)
      providerTimes.push(performance.now() - startedAt)
      complete &&= covers(Y.decodeStateVector(Y.encodeStateVector(doc)))
    } finally {
      provider.destroy()
      doc.destroy()
    }
  }

  const rawTimes: number[] = []
  for (const room of request.rawRooms) {
    const [time, whole] = await rawSync([new RawClient(dialect, room, nextId++, log, { keepState: true })], covers)
    rawTimes.push(...time)
    complete &&= whole
  }

  const crowd = Array.from({ length: request.crowd }, () => new RawClient(dialect, request.crowdRoom, nextId++, log, { keepState: true }))
  const [crowdTimes, crowdWhole] = await rawSync(crowd, covers)
  return { providerMs: median(providerTimes), rawMs: median(rawTimes), crowd: distribution(crowdTimes), complete: complete && crowdWhole }
}

/** Waits until every raw client received the server's state: each one's time, and whether each got all of it. */
async function rawSync(clients: RawClient[], covers: (stateVector: Map<number, number>) => boolean): Promise<[number[], boolean]> {
  try {
    await withTimeout(Promise.all(clients.map((client) => client.ready)), SYNC_TIMEOUT_MS, 'raw clients to receive the document')
    const whole = clients.every((client) => covers(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(client.state!))))
    return [clients.map((client) => client.syncedAt - client.startedAt), whole]
  } finally {
    for (const client of clients) client.close()
  }
}
