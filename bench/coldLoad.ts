import { randomInt } from 'node:crypto'
import * as Y from 'yjs'
import { RawClient } from './clients.js'
import { KeystrokeLog } from './keystrokes.js'
import { dialectOf, type Target } from './protocol.js'
import { distribution, median, type Distribution } from './stats.js'
import { withTimeout } from './timing.js'

/**
 * The cold-load scenario: rooms that each hold the large document, none
 * opened yet, on every server under test at once (named alike on each).
 */
export interface ColdLoadRequest {
  /** The servers, idle; their trials alternate. */
  targets: Target[]
  /** One fresh real provider each, one after the other. */
  providerRooms: string[]
  /** One fresh raw client each, one after the other. */
  rawRooms: string[]
  /** `crowd` raw clients at once, one server at a time. */
  crowdRoom: string
  crowd: number
  /** The document's state vector, as [client, clock] pairs: a client that synced has all of it. */
  expectedStateVector: Array<[number, number]>
}

/** What the cold-load scenario measured on one server, in milliseconds from opening the socket. */
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
 * Times fresh clients syncing the large document, on each target: the
 * results in the targets' order. A real provider's time includes applying
 * the document, the larger part, which costs the same on every server but
 * varies from one trial to the next with the generator's own garbage
 * collections (15-50 ms); so the servers take turns, trial by trial, each
 * going first in turn, and meet the generator in the same state. Raw
 * clients show the server's part alone, and do not saturate the generator
 * when twenty arrive at once.
 */
export async function coldLoad(request: ColdLoadRequest): Promise<ColdLoadResult[]> {
  const dialects = request.targets.map(dialectOf)
  const log = new KeystrokeLog()
  let nextId = randomInt(1, 2 ** 31 - 1000)
  const complete = request.targets.map(() => true)
  const covers = (stateVector: Map<number, number>): boolean =>
    request.expectedStateVector.every(([client, clock]) => (stateVector.get(client) ?? 0) >= clock)
  /** Each target's index, the first one moving along with `trial`. */
  const inTurn = (trial: number): number[] => dialects.map((_, index) => (index + trial) % dialects.length)

  const providerTimes: number[][] = dialects.map(() => [])
  for (const [trial, room] of request.providerRooms.entries()) {
    for (const index of inTurn(trial)) {
      const doc = new Y.Doc()
      const startedAt = performance.now()
      const provider = dialects[index]!.provider(room, doc)
      try {
        await withTimeout(provider.synced, SYNC_TIMEOUT_MS, `a provider to sync ${room}`)
        providerTimes[index]!.push(performance.now() - startedAt)
        complete[index] &&= covers(Y.decodeStateVector(Y.encodeStateVector(doc)))
      } finally {
        provider.destroy()
        doc.destroy()
      }
    }
  }

  const rawTimes: number[][] = dialects.map(() => [])
  for (const [trial, room] of request.rawRooms.entries()) {
    for (const index of inTurn(trial)) {
      const [time, whole] = await rawSync([new RawClient(dialects[index]!, room, nextId++, log, { keepState: true })], covers)
      rawTimes[index]!.push(...time)
      complete[index] &&= whole
    }
  }

  const results: ColdLoadResult[] = []
  for (const [index, dialect] of dialects.entries()) {
    const crowd = Array.from({ length: request.crowd }, () => new RawClient(dialect, request.crowdRoom, nextId++, log, { keepState: true }))
    const [crowdTimes, crowdWhole] = await rawSync(crowd, covers)
    results.push({
      providerMs: median(providerTimes[index]!),
      rawMs: median(rawTimes[index]!),
      crowd: distribution(crowdTimes),
      complete: complete[index]! && crowdWhole,
    })
  }
  return results
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
