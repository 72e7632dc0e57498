import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileDocumentStore } from '../server/storage/fileDocumentStore.js'
import { removeOnExit } from './lifecycle.js'
import { startServer } from './servers.js'

/**
 * Drafting Room's data folder for a bench run, in a temp folder: the seeded
 * demo workspace, enough real sections of its demo document for every
 * scenario (each is opened by one run only, so each run starts from a
 * section at rest), and the trace document put into the storage of the
 * cold-load sections while the server is stopped.
 */

const DEMO_PASSWORD = 'bench-demo-password'
/** Sockets one user may hold: the bench's clients all sign in as one drafter. */
const CONNECTION_CAP = 5000

/** A prepared data folder. */
export interface Workspace {
  readonly dataDir: string
  /** The drafter's session cookie, as sent on every upgrade. */
  readonly cookie: string
  /** Sections for typing and idle runs: the demo document's own first, then new empty ones. */
  readonly sections: string[]
  /** Sections whose storage holds the trace document, none opened yet. */
  readonly coldSections: string[]
  /** The stored state of a cold section: what the other servers hold in memory. */
  readonly coldState: Uint8Array
  readonly coldStateFile: string
  /** The environment that runs the production server on this folder. */
  readonly env: Record<string, string>
}

/** The environment of the server under test: loopback, a free port, caps raised for the load. */
function environment(dataDir: string, seed: boolean): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DEMO_PASSWORD,
    // Only a development start seeds the demo workspace into an empty folder.
    NODE_ENV: seed ? 'development' : 'production',
    CONNECTIONS_PER_USER: String(CONNECTION_CAP),
    CONNECTIONS_PER_ADDRESS: String(CONNECTION_CAP),
  }
}

/** Seeds a data folder through the running server, then writes `trace` into the cold sections' storage. */
export async function prepareWorkspace(options: {
  main: string
  sections: number
  coldSections: number
  trace: Uint8Array
}): Promise<Workspace> {
  const dataDir = await mkdtemp(join(tmpdir(), 'drafting-room-bench-'))
  removeOnExit(dataDir)
  const server = await startServer('drafting-room', { draftingRoom: { main: options.main, env: environment(dataDir, true) } })
  let cookie: string
  let sections: string[]
  try {
    const admin = await signIn(server.httpUrl, 'admin')
    const [document] = await api<Array<{ id: string }>>(server.httpUrl, admin, 'GET', '/api/documents')
    if (!document) throw new Error('The seeded workspace has no document')
    const view = await api<{ sections: Array<{ id: string }> }>(server.httpUrl, admin, 'GET', `/api/documents/${document.id}`)
    sections = view.sections.map((section) => section.id)
    const wanted = options.sections + options.coldSections
    for (let index = sections.length; index < wanted; index++) {
      const created = await api<{ id: string }>(server.httpUrl, admin, 'POST', `/api/documents/${document.id}/sections`, {
        title: `Bench section ${index + 1}`,
      })
      sections.push(created.id)
    }
    cookie = await signIn(server.httpUrl, 'drafter')
  } finally {
    await server.stop()
  }

  const coldSections = sections.splice(options.sections, options.coldSections)
  const store = new FileDocumentStore(dataDir)
  let coldState: Uint8Array | null = null
  try {
    for (const section of coldSections) {
      await store.append(section, [{ update: options.trace, author: 'bench', at: Date.now() }])
      // A long-edited section is at rest as a snapshot, not as a log.
      await store.compact(section)
    }
    coldState = await store.load(coldSections[0]!)
  } finally {
    await store.close()
  }
  if (!coldState) throw new Error('The cold section has no stored state')
  const coldStateFile = join(dataDir, 'cold-state.bin')
  await writeFile(coldStateFile, coldState)
  return { dataDir, cookie, sections, coldSections, coldState, coldStateFile, env: environment(dataDir, false) }
}

async function signIn(url: string, role: string): Promise<string> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${role}@demo.local`, password: DEMO_PASSWORD }),
  })
  if (response.status !== 200) throw new Error(`Signing in as ${role} failed with ${response.status}`)
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!
}

async function api<T>(url: string, cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${method} ${path} failed with ${response.status}: ${await response.text()}`)
  return (await response.json()) as T
}
