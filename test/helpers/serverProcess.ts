import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { DEMO_PASSWORD } from './testServer.js'

const MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url))

/** The built server (`dist/server/main.js`) running as a child process, as `npm start` runs it. */
export interface ServerProcess {
  child: ChildProcess
  url: string
  wsUrl: string
  port: number
  output: () => string
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts the built server on `port` (0 for any) with `dataDir`; resolves once it listens. */
export function spawnServer(dataDir: string, port = 0, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, DEMO_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /running at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (match) {
        const listening = Number(match[1])
        resolve({
          child,
          port: listening,
          url: `http://127.0.0.1:${listening}`,
          wsUrl: `ws://127.0.0.1:${listening}/collab`,
          output: () => output,
          exited,
        })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    void exited.then(({ code, signal }) => reject(new Error(`The server exited (${code ?? signal}) before listening:\n${output}`)))
  })
}

/** Signs in a demo user against a running server; returns the cookie header. */
export async function loginTo(url: string, role: string): Promise<string> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${role}@demo.local`, password: DEMO_PASSWORD }),
  })
  if (response.status !== 200) throw new Error(`Login as ${role} failed with ${response.status}`)
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!
}
