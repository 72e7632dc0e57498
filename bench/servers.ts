import { execFileSync, type ChildProcess } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { hasExited, spawnOwned, stopChild } from './lifecycle.js'
import { LISTENING, preloadEnvironment } from './preload.js'
import { cpuMicros, machineTicks, peakRssBytes, resetPeakRss } from './processStats.js'
import type { ServerKind, Target } from './protocol.js'
import { sleep, withTimeout } from './timing.js'

/** Each server under test runs in its own process, started here and driven over loopback. */

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url))

/** The production build of Drafting Room's server (`npm run build:server`). */
export const DRAFTING_ROOM_MAIN = here('../server/main.js')

const SCRIPTS: Record<Exclude<ServerKind, 'drafting-room'>, string> = {
  reference: here('./referenceServer.js'),
  hocuspocus: here('./hocuspocusServer.js'),
}
const PROBE = pathToFileURL(here('./serverProbe.js')).href
const START_TIMEOUT_MS = 30_000
/** Idle means using less than this share of a core over a `SETTLE_WINDOW_MS` window. */
const IDLE_SHARE = 0.05
const SETTLE_WINDOW_MS = 250
/** The machine is quiet when its cores are busy less than this share of the time over a window. */
const MACHINE_IDLE_SHARE = 0.1
const SETTLE_TIMEOUT_MS = 15_000
const OUTPUT_KEPT = 32 * 1024

/** How to start a server. */
export interface ServerOptions {
  /** Drafting Room: the built `main.js` to run, its data folder and environment. */
  draftingRoom?: { main: string; env: Record<string, string> }
  /** Reference servers: a state file to hold in memory in these rooms before anyone connects. */
  preload?: { file: string; rooms: string[] }
}

/** A server under test, listening. */
export interface RunningServer {
  readonly kind: ServerKind
  readonly pid: number
  /** `http://127.0.0.1:<port>` */
  readonly httpUrl: string
  /** Where the load generator finds it, signed in with `cookie` (Drafting Room). */
  target(cookie: string | null): Target
  /**
   * Resolves once it has gone idle after starting (Drafting Room computes a
   * decoy scrypt hash at start: a second of CPU and 128 MB for a moment).
   */
  settle(): Promise<void>
  /** Its memory use right after a full garbage collection. */
  memory(): Promise<NodeJS.MemoryUsage>
  /** Its peak resident set size since it started or since `resetPeakRss`, in bytes. */
  peakRssBytes(): number
  resetPeakRss(): void
  /** What it printed, the last 32 kB. */
  output(): string
  /** Stops it as an operator would (SIGTERM), killing it if it takes too long. */
  stop(): Promise<void>
}

/** Starts a server of `kind` on 127.0.0.1 and a free port; resolves once it listens. */
export async function startServer(kind: ServerKind, options: ServerOptions = {}): Promise<RunningServer> {
  const script = kind === 'drafting-room' ? options.draftingRoom?.main : SCRIPTS[kind]
  if (!script) throw new Error('Starting Drafting Room needs its main.js and environment')
  const env = {
    ...process.env,
    ...(kind === 'drafting-room' ? options.draftingRoom!.env : {}),
    ...(options.preload ? preloadEnvironment(options.preload.file, options.preload.rooms) : {}),
  }
  const child = spawnOwned(process.execPath, ['--expose-gc', '--import', PROBE, script], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)), START_TIMEOUT_MS)
    child.stdout!.on('data', () => {
      const match = LISTENING.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${kind} exited (${code ?? signal}) before listening:\n${output}`))
    })
  })
  const httpUrl = `http://127.0.0.1:${port}`
  return {
    kind,
    pid: child.pid!,
    httpUrl,
    target: (cookie) => ({
      kind,
      url: kind === 'drafting-room' ? `ws://127.0.0.1:${port}/collab` : `ws://127.0.0.1:${port}`,
      cookie,
      pid: child.pid!,
    }),
    settle: () => settle(child.pid!),
    memory: () => askMemory(child, kind),
    peakRssBytes: () => peakRssBytes(child.pid!),
    resetPeakRss: () => resetPeakRss(child.pid!),
    output: () => output,
    stop: () => stopChild(child),
  }
}

/**
 * Waits until the whole machine is quiet: what ran before (preparing the
 * data folder, the last server stopping, the kernel writing files back) must
 * not run during the next measurement. Gives up quietly after a while: a
 * machine busy with something else is reported through the figures.
 */
export async function settleMachine(): Promise<void> {
  execFileSync('sync')
  const deadline = performance.now() + SETTLE_TIMEOUT_MS
  let before = machineTicks()
  do {
    await sleep(SETTLE_WINDOW_MS)
    const now = machineTicks()
    if (now.busy - before.busy < MACHINE_IDLE_SHARE * (now.total - before.total)) return
    before = now
  } while (performance.now() < deadline)
}

async function settle(pid: number): Promise<void> {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS
  let before = cpuMicros(pid)
  do {
    await sleep(SETTLE_WINDOW_MS)
    const now = cpuMicros(pid)
    if (now - before < IDLE_SHARE * SETTLE_WINDOW_MS * 1000) return
    before = now
  } while (performance.now() < deadline)
  throw new Error(`The server did not go idle within ${SETTLE_TIMEOUT_MS / 1000} s of starting`)
}

function askMemory(child: ChildProcess, kind: ServerKind): Promise<NodeJS.MemoryUsage> {
  if (hasExited(child)) return Promise.reject(new Error(`${kind} is not running`))
  const answer = new Promise<NodeJS.MemoryUsage>((resolve) => {
    const onMessage = (message: { type?: string; usage?: NodeJS.MemoryUsage }): void => {
      if (message.type !== 'memory') return
      child.off('message', onMessage)
      resolve(message.usage!)
    }
    child.on('message', onMessage)
    child.send('memory')
  })
  return withTimeout(answer, 10_000, `${kind} to report its memory`)
}
