import { afterEach, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.js'
import { connectClient, type CollabClient } from '../helpers/collabClient.js'
import { loginTo, spawnServer, type ServerProcess } from '../helpers/serverProcess.js'
import { waitFor } from '../helpers/waitFor.js'

let server: ServerProcess | null = null
let dataDir: string | null = null
const clients: CollabClient[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL')
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

it('on SIGTERM saves every pending edit, closes sockets with 1012 and exits within 5 seconds', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'drafting-room-shutdown-'))
  server = await spawnServer(dataDir)
  const cookie = await loginTo(server.url, 'drafter')
  const documents = await (await fetch(`${server.url}/api/documents`, { headers: { cookie } })).json()
  const sectionId = (await (await fetch(`${server.url}/api/documents/${documents[0].id}`, { headers: { cookie } })).json()).sections[0].id
  const client = connectClient(server.wsUrl, sectionId, cookie)
  const watcher = connectClient(server.wsUrl, sectionId, cookie)
  clients.push(client, watcher)
  await Promise.all([client.synced(), watcher.synced()])
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  client.fragment.push([paragraph])
  for (let i = 0; i < 200; i++) text.insert(text.length, 'x')
  text.insert(text.length, ' last words')
  // Once the watcher has the edits the server applied them; it may not have stored them yet.
  await waitFor(() => watcher.text().includes('last words'), { message: 'the server to relay the edits' })
  watcher.provider.disconnect()
  const stopping = Date.now()
  server.child.kill('SIGTERM')
  const exit = await server.exited
  expect(exit.code).toBe(0)
  expect(Date.now() - stopping).toBeLessThan(5000)
  await waitFor(() => client.closes.length > 0, { message: 'the close event' })
  expect(client.closes[0]!.code).toBe(CloseCode.serviceRestart)
  client.provider.disconnect()

  server = await spawnServer(dataDir)
  const reader = connectClient(server.wsUrl, sectionId, await loginTo(server.url, 'reviewer'))
  clients.push(reader)
  await reader.synced()
  expect(reader.text()).toContain(`${'x'.repeat(200)} last words`)
})
