import { RawClient } from './clients.js'
import { coldLoad, type ColdLoadRequest, type ColdLoadResult } from './coldLoad.js'
import { KeystrokeLog } from './keystrokes.js'
import { dialectOf, type Target } from './protocol.js'
import { withTimeout } from './timing.js'
import { typingRun, type TypingRunRequest, type TypingRunResult } from './typingRun.js'

/**
 * The load generator: a process of its own, forked by the bench for each
 * run, so that its CPU is not the servers' and a fresh one starts clean. It
 * does what the bench asks over IPC, one request at a time, and exits when
 * the bench goes away.
 */

/** What the bench asks of the load generator. */
export type GeneratorRequest =
  | { type: 'typing'; request: TypingRunRequest }
  | { type: 'cold'; request: ColdLoadRequest }
  /** Open `perRoom` idle raw connections to each room and keep them until `release`. */
  | { type: 'idle'; target: Target; rooms: string[]; perRoom: number }
  | { type: 'release' }

/** What the load generator answers. */
export type GeneratorReply =
  | { type: 'typing'; result: TypingRunResult }
  | { type: 'cold'; results: ColdLoadResult[] }
  | { type: 'idle' }
  | { type: 'released' }
  | { type: 'error'; message: string }

const IDLE_WAVE = 100
const IDLE_TIMEOUT_MS = 30_000

let idle: RawClient[] = []
let nextIdleId = 1

async function answer(request: GeneratorRequest): Promise<GeneratorReply> {
  switch (request.type) {
    case 'typing':
      return { type: 'typing', result: await typingRun(request.request) }
    case 'cold':
      return { type: 'cold', results: await coldLoad(request.request) }
    case 'idle': {
      const dialect = dialectOf(request.target)
      const log = new KeystrokeLog()
      const opening = request.rooms.flatMap((room) => Array.from({ length: request.perRoom }, () => room))
      for (let start = 0; start < opening.length; start += IDLE_WAVE) {
        const wave = opening.slice(start, start + IDLE_WAVE).map((room) => new RawClient(dialect, room, nextIdleId++, log))
        idle.push(...wave)
        await withTimeout(Promise.all(wave.map((client) => client.ready)), IDLE_TIMEOUT_MS, 'idle connections to open')
      }
      return { type: 'idle' }
    }
    case 'release':
      for (const client of idle) client.close()
      idle = []
      return { type: 'released' }
  }
}

process.on('message', (request: GeneratorRequest) => {
  answer(request).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ type: 'error', message: (error as Error).stack ?? String(error) } satisfies GeneratorReply),
  )
})
process.on('disconnect', () => process.exit(0))
