import { afterAll, beforeAll, expect, it } from 'vitest'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { startTestServer, type TestServer } from '../helpers/testServer.js'
import { connectClient, type CollabClient } from '../helpers/collabClient.js'
import { waitFor } from '../helpers/waitFor.js'

/**
 * Soak: clients connect, edit and leave in a loop for a minute (SOAK_SECONDS
 * for longer). Afterwards every section is unloaded and the server's heap is
 * back near where it was after a warm-up round.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60)
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31))
const CLIENTS_PER_ROUND = 6

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

let server: TestServer
let cookies: string[]
let sectionIds: string[]

beforeAll(async () => {
  server = await startTestServer()
  cookies = [(await server.login('drafter')).cookie, (await server.login('drafter')).cookie, (await server.login('reviewer')).cookie]
  sectionIds = (await server.demoDocument(cookies[0]!)).sections.map((section) => section.id)
})

afterAll(async () => {
  await server.close()
})

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return process.memoryUsage().heapUsed
}

async function round(random: prng.PRNG, index: number): Promise<void> {
  const clients: CollabClient[] = []
  for (let i = 0; i < CLIENTS_PER_ROUND; i++) {
    clients.push(connectClient(server.wsUrl, prng.oneOf(random, sectionIds), prng.oneOf(random, cookies)))
  }
  await Promise.all(clients.map((client) => client.synced()))
  for (const client of clients) {
    if (client.access?.access !== 'write') continue
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    client.fragment.push([paragraph])
    for (let i = 0; i < prng.int32(random, 1, 20); i++) text.insert(text.length, prng.letter(random))
    text.insert(text.length, ` r${index}`)
  }
  // Most leave once saved; some leave straight away, mid-store.
  await Promise.all(clients.map((client) => (prng.bool(random) ? client.saved() : undefined)))
  for (const client of clients) client.destroy()
}

it(`survives clients coming and going for ${SECONDS} s and gives memory back (seed ${SEED})`, { timeout: (SECONDS + 60) * 1000 }, async () => {
  const random = prng.create(SEED)
  await round(random, 0)
  const relay = server.server.relay
  await waitFor(() => relay.loadedSections().length === 0, { message: 'the warm-up sections to unload' })
  const baseline = await heapAfterGc()

  const until = Date.now() + SECONDS * 1000
  let rounds = 0
  while (Date.now() < until) await round(random, ++rounds)

  await waitFor(() => relay.loadedSections().length === 0, { timeout: 20_000, message: 'every section to unload' })
  const after = await heapAfterGc()
  const growth = after - baseline
  console.log(`soak: ${rounds} rounds of ${CLIENTS_PER_ROUND} clients; heap ${(baseline / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB`)
  expect(rounds).toBeGreaterThan(10)
  // The stored text grows with every round; the heap must not keep it.
  expect(growth, `heap growth after ${rounds} rounds (seed ${SEED})`).toBeLessThan(16 * 2 ** 20)
  expect(relay.openConnections()).toBe(0)
})
