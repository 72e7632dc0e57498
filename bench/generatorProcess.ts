import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ColdLoadRequest, ColdLoadResult } from './coldLoad.js'
import { forkOwned, stopChild } from './lifecycle.js'
import type { GeneratorReply, GeneratorRequest } from './loadGenerator.js'
import type { Target } from './protocol.js'
import { withTimeout } from './timing.js'
import type { TypingRunRequest, TypingRunResult } from './typingRun.js'

const SCRIPT = fileURLToPath(new URL('./loadGenerator.js', import.meta.url))
/** No request takes longer; the scenarios' own timeouts are shorter. */
const REQUEST_TIMEOUT_MS = 5 * 60_000
const OUTPUT_KEPT = 16 * 1024
/**
 * The generator is the instrument: its own pauses add to every latency it
 * measures, whichever server runs. Its heap grows by a megabyte or two a
 * second (each applying client's copy of the text), so V8 collected the old
 * generation every ~5 s, each time stalling the generator 20-60 ms on this
 * 2-core machine; with room to grow from the start, a fresh generator makes
 * no full collection within a run.
 */
const GENERATOR_FLAGS = ['--initial-old-space-size=1024']

/** The bench's handle on a load generator process (see `loadGenerator.ts`). */
export class LoadGenerator {
  private output = ''

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_KEPT)
    }
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
  }

  /** Forks a fresh load generator. */
  static start(): LoadGenerator {
    return new LoadGenerator(
      forkOwned(SCRIPT, [], { execArgv: [...process.execArgv, ...GENERATOR_FLAGS], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }),
    )
  }

  async typing(request: TypingRunRequest): Promise<TypingRunResult> {
    return (await this.ask({ type: 'typing', request }, 'typing')).result
  }

  async cold(request: ColdLoadRequest): Promise<ColdLoadResult[]> {
    return (await this.ask({ type: 'cold', request }, 'cold')).results
  }

  /** Opens idle connections, `perRoom` to each room, and keeps them open until `release`. */
  async holdIdle(target: Target, rooms: string[], perRoom: number): Promise<void> {
    await this.ask({ type: 'idle', target, rooms, perRoom }, 'idle')
  }

  async release(): Promise<void> {
    await this.ask({ type: 'release' }, 'released')
  }

  stop(): Promise<void> {
    return stopChild(this.child)
  }

  private ask<T extends GeneratorReply['type']>(request: GeneratorRequest, type: T): Promise<Extract<GeneratorReply, { type: T }>> {
    const reply = new Promise<Extract<GeneratorReply, { type: T }>>((resolve, reject) => {
      const onMessage = (message: GeneratorReply): void => {
        cleanUp()
        if (message.type === 'error') reject(new Error(`The load generator failed: ${message.message}`))
        else if (message.type !== type) reject(new Error(`The load generator answered ${message.type} to ${request.type}`))
        else resolve(message as Extract<GeneratorReply, { type: T }>)
      }
      const onExit = (code: number | null, signal: string | null): void => {
        cleanUp()
        reject(new Error(`The load generator exited (${code ?? signal}) during ${request.type}:\n${this.output}`))
      }
      const cleanUp = (): void => {
        this.child.off('message', onMessage)
        this.child.off('exit', onExit)
      }
      this.child.on('message', onMessage)
      this.child.on('exit', onExit)
      this.child.send(request)
    })
    return withTimeout(reply, REQUEST_TIMEOUT_MS, `the load generator's ${request.type} run`)
  }
}
