import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type DraftingRoomServer } from '../../server/createServer.js'
import type { ServerConfig } from '../../server/config.js'
import type { DocumentView, UserView } from '../../shared/api.js'

export const DEMO_PASSWORD = 'test-demo-password'

/** A real Drafting Room server on an ephemeral port with a temp data folder. */
export interface TestServer {
  server: DraftingRoomServer
  url: string
  wsUrl: string
  dataDir: string
  /** Signs in a demo user (`drafter`, `reviewer`, …) and returns the cookie header. */
  login(role: string): Promise<{ cookie: string; user: UserView }>
  /** The demo document with its sections. */
  demoDocument(cookie: string): Promise<DocumentView>
  /** Closes the server and starts a new one on the same data folder. */
  restart(): Promise<TestServer>
  /** Closes the server (keeps the data folder). */
  stop(): Promise<void>
  /** Closes the server and removes its data folder. */
  close(): Promise<void>
}

export interface TestServerOptions {
  dataDir?: string
  config?: Partial<ServerConfig>
  clientDir?: string | null
}

/** Starts a server as `npm start` would, but on port 0 and in a temp folder. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'drafting-room-test-')))
  const logs: string[] = []
  const config: ServerConfig = {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    clientDir: options.clientDir ?? null,
    demoPassword: DEMO_PASSWORD,
    trustProxy: false,
    compactAfterRecords: 2000,
    crashAt: null,
    connectionCaps: { perUser: 24, perAddress: 1000 },
    log: (message) => logs.push(message),
    ...options.config,
  }
  const server = await createServer(config)
  const address = await server.listen(0, '127.0.0.1')
  const url = `http://127.0.0.1:${address.port}`
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    await server.close()
  }
  const testServer: TestServer = {
    server,
    url,
    wsUrl: `ws://127.0.0.1:${address.port}/collab`,
    dataDir,
    async login(role) {
      const response = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${role}@demo.local`, password: DEMO_PASSWORD }),
      })
      if (response.status !== 200) throw new Error(`Login as ${role} failed with ${response.status}`)
      const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!
      return { cookie, user: (await response.json()) as UserView }
    },
    async demoDocument(cookie) {
      const list = (await (await fetch(`${url}/api/documents`, { headers: { cookie } })).json()) as { id: string }[]
      const response = await fetch(`${url}/api/documents/${list[0]!.id}`, { headers: { cookie } })
      return (await response.json()) as DocumentView
    },
    async restart() {
      await stop()
      return startTestServer({ ...options, dataDir })
    },
    stop,
    async close() {
      await stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
  return testServer
}
