import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'

/**
 * The save tracker behind the status line counts this client's own changes
 * until the server reports them on disk: those sent on the socket, those
 * made offline, those a dropped socket carried unacknowledged, and those
 * loaded from the device's copy.
 */
let server: TestServer
let cookie: string
let sectionId: string
const clients: CollabClient[] = []

beforeAll(async () => {
  server = await startTestServer()
  cookie = (await server.login('drafter')).cookie
  sectionId = (await server.demoDocument(cookie)).sections[2]!.id
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.close()
})

function connect(options: { connect?: boolean } = {}): CollabClient {
  const client = connectClient(server.wsUrl, sectionId, cookie, options)
  clients.push(client)
  return client
}

// One paragraph, added in one transaction: one change.
function addParagraph(doc: Y.Doc, text: string, origin: unknown = null): void {
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  doc.transact(() => doc.getXmlFragment('prosemirror').push([paragraph]), origin)
}

async function serverText(): Promise<string> {
  const reader = connect()
  await reader.synced()
  return reader.text()
}

describe('the save tracker', () => {
  it('counts each change until the server has stored it', async () => {
    const client = connect()
    await client.saved()
    for (const word of ['one', 'two', 'three']) addParagraph(client.doc, `Counted ${word}.`)
    expect(client.tracker.changes).toBe(3)
    expect(client.tracker.unsaved).toBe(true)
    await client.saved()
    expect(client.tracker.changes).toBe(0)
  })

  it('keeps counting what a dropped socket carried and what was typed offline until the sync step 2 after reconnecting is stored', async () => {
    const client = connect()
    await client.saved()
    addParagraph(client.doc, 'Sent just before the socket dropped.')
    client.provider.disconnect()
    expect(client.tracker.changes).toBe(1)
    addParagraph(client.doc, 'Typed offline, first.')
    addParagraph(client.doc, 'Typed offline, second.')
    expect(client.tracker.changes).toBe(3)
    expect(client.tracker.unsaved).toBe(true)

    client.provider.connect()
    await client.saved()
    expect(client.tracker.changes).toBe(0)
    const text = await serverText()
    for (const sentence of ['Sent just before the socket dropped.', 'Typed offline, first.', 'Typed offline, second.']) expect(text).toContain(sentence)
  })

  it('counts changes loaded from the device as unsent, not as new ones, until the server has them', async () => {
    const client = connect({ connect: false })
    const device = 'device'
    client.tracker.ignoreChangesFrom(device)
    // What an earlier session left on the device: its own client id, not yet on the server.
    const earlier = new Y.Doc()
    addParagraph(earlier, 'Kept on the device from an earlier session.')
    Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(earlier), device)
    client.tracker.markUnsent(5)
    expect(client.tracker.changes).toBe(5)

    client.provider.connect()
    await client.saved()
    expect(client.tracker.changes).toBe(0)
    expect(await serverText()).toContain('Kept on the device from an earlier session.')
  })
})
