import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { connectClient, type CollabClient } from '../helpers/collabClient.js'
import { loginTo, spawnServer, type ServerProcess } from '../helpers/serverProcess.js'
import { waitFor } from '../helpers/waitFor.js'

/**
 * Crash test: drafters type numbered tokens into two sections while the
 * server is killed with SIGKILL, at a named point in the write path or at a
 * random moment. After a restart, a fresh reader must find every token the
 * server acknowledged as persisted; then the original clients reconnect and
 * every document holds every token typed by anyone, exactly once.
 */
const TYPISTS_PER_SECTION = 3
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31))

interface Typist {
  client: CollabClient
  sectionId: string
  text: Y.XmlText
  tokens: { token: string; clock: number }[]
}

let server: ServerProcess | null = null
let dataDir: string | null = null
const typists: Typist[] = []

afterEach(async () => {
  for (const typist of typists.splice(0)) typist.client.destroy()
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL')
    await server.exited
  }
  server = null
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
  dataDir = null
})

/** Tokens whose insertion the server reported persisted before it died. */
function acknowledged(typist: Typist): string[] {
  const persisted = typist.client.persisted?.get(typist.client.doc.clientID) ?? 0
  return typist.tokens.filter((entry) => entry.clock <= persisted).map((entry) => entry.token)
}

function type(typist: Typist, token: string): void {
  typist.text.insert(typist.text.length, `${token} `)
  typist.tokens.push({ token, clock: Y.getState(typist.client.doc.store, typist.client.doc.clientID) })
}

async function run(scenario: string, env: Record<string, string>, killAfterMs: number | null): Promise<void> {
  const random = prng.create(SEED)
  dataDir = await mkdtemp(join(tmpdir(), 'drafting-room-crash-'))
  server = await spawnServer(dataDir, 0, { COMPACT_AFTER_RECORDS: '25', ...env })
  const port = server.port
  const cookie = await loginTo(server.url, 'drafter')
  const document = await (await fetch(`${server.url}/api/documents`, { headers: { cookie } })).json()
  const sections = (await (await fetch(`${server.url}/api/documents/${document[0].id}`, { headers: { cookie } })).json()).sections
  const sectionIds: string[] = [sections[0].id, sections[1].id]

  for (const sectionId of sectionIds) {
    for (let i = 0; i < TYPISTS_PER_SECTION; i++) {
      const client = connectClient(server.wsUrl, sectionId, cookie)
      await client.synced()
      const paragraph = new Y.XmlElement('paragraph')
      const text = new Y.XmlText()
      paragraph.insert(0, [text])
      client.fragment.push([paragraph])
      typists.push({ client, sectionId, text, tokens: [] })
    }
  }

  // Type until the server dies, by its own crash point or our SIGKILL.
  let alive = true
  void server.exited.then(() => {
    alive = false
    // Hold the original clients back until a fresh reader has looked.
    for (const typist of typists) typist.client.provider.disconnect()
  })
  if (killAfterMs !== null) setTimeout(() => server!.child.kill('SIGKILL'), killAfterMs)
  let round = 0
  const deadline = Date.now() + 20_000
  while (alive && Date.now() < deadline) {
    const typist = prng.oneOf(random, typists)
    type(typist, `${scenario}:${typists.indexOf(typist)}:${round++}`)
    await new Promise((resolve) => setTimeout(resolve, prng.int32(random, 0, 3)))
  }
  const exit = await server.exited
  expect(exit.signal, `the server died by SIGKILL (seed ${SEED})`).toBe('SIGKILL')
  const acknowledgedCount = typists.reduce((sum, typist) => sum + acknowledged(typist).length, 0)
  expect(acknowledgedCount, 'some tokens were acknowledged before the crash').toBeGreaterThan(0)
  // A few tokens typed while the server is down must arrive too.
  for (const typist of typists) type(typist, `${scenario}:offline:${typists.indexOf(typist)}`)

  server = await spawnServer(dataDir, port)
  const readerCookie = await loginTo(server.url, 'reviewer')
  for (const sectionId of sectionIds) {
    const reader = connectClient(server.wsUrl, sectionId, readerCookie)
    await reader.synced()
    const text = reader.text()
    for (const typist of typists.filter((candidate) => candidate.sectionId === sectionId)) {
      for (const token of acknowledged(typist)) {
        expect(text.includes(`${token} `), `acknowledged token ${token} after restart (seed ${SEED})`).toBe(true)
      }
    }
    reader.destroy()
  }

  for (const typist of typists) typist.client.provider.connect()
  for (const typist of typists) await typist.client.saved()
  for (const sectionId of sectionIds) {
    const fresh = connectClient(server.wsUrl, sectionId, readerCookie)
    await fresh.synced()
    const inSection = typists.filter((typist) => typist.sectionId === sectionId)
    await waitFor(() => inSection.every((typist) => typist.client.text() === fresh.text()), { message: 'convergence' })
    const words = fresh.text().split(/\s+/)
    for (const typist of inSection) {
      for (const { token } of typist.tokens) {
        expect(words.filter((word) => word === token).length, `token ${token} exactly once (seed ${SEED})`).toBe(1)
      }
    }
    fresh.destroy()
  }
}

describe('crash safety', () => {
  it(`keeps every acknowledged token when killed before a journal write (seed ${SEED})`, async () => {
    await run('before', { CRASH_AT: 'before-journal-write:40' }, null)
  })

  it(`keeps every acknowledged token when killed after a journal write, before its ack (seed ${SEED})`, async () => {
    await run('after', { CRASH_AT: 'after-journal-write:40' }, null)
  })

  it(`keeps every acknowledged token when killed during compaction (seed ${SEED})`, async () => {
    await run('compaction', { CRASH_AT: 'during-compaction:2' }, null)
  })

  it(`keeps every acknowledged token when killed at a random moment (seed ${SEED})`, async () => {
    await run('random', {}, 300 + (SEED % 700))
  })
})
