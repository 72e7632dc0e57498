import { afterEach, describe, expect, it } from 'vitest'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import * as Y from 'yjs'
import { readRecordFile } from '../../server/storage/recordFile.js'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { schema } from '../../shared/schema.js'
import { startTestServer, type TestServer } from '../helpers/testServer.js'
import { connectClient, type CollabClient } from '../helpers/collabClient.js'
import { waitFor } from '../helpers/waitFor.js'

let server: TestServer | null = null
const clients: CollabClient[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server?.close()
  server = null
})

function typeParagraph(client: CollabClient, text: string): void {
  const paragraph = new Y.XmlElement('paragraph')
  const content = new Y.XmlText()
  paragraph.insert(0, [content])
  client.fragment.push([paragraph])
  // One character per update, as typing sends them.
  for (const character of text) content.insert(content.length, character)
}

describe('durability across restarts', () => {
  it('gives back the same document and state vector after a restart', async () => {
    server = await startTestServer()
    const { cookie } = await server.login('drafter')
    const sectionId = (await server.demoDocument(cookie)).sections[0]!.id
    const writer = connectClient(server.wsUrl, sectionId, cookie)
    clients.push(writer)
    await writer.synced()
    typeParagraph(writer, 'National Societies pledge to act.')
    await writer.saved()
    const before = { json: writer.json(), stateVector: Y.encodeStateVector(writer.doc) }
    writer.destroy()
    clients.length = 0

    server = await server.restart()
    const cookieAfter = (await server.login('drafter')).cookie
    const reader = connectClient(server.wsUrl, sectionId, cookieAfter)
    clients.push(reader)
    await reader.synced()
    await waitFor(() => reader.text().includes('National Societies pledge to act.'), { message: 'the text after restart' })
    expect(reader.json()).toEqual(before.json)
    expect(Y.encodeStateVector(reader.doc)).toEqual(before.stateVector)
  })

  it('compacts the log past its threshold and can still rebuild an old state', async () => {
    server = await startTestServer({ config: { compactAfterRecords: 8 } })
    const { cookie } = await server.login('drafter')
    const sectionId = (await server.demoDocument(cookie)).sections[1]!.id
    const writer = connectClient(server.wsUrl, sectionId, cookie)
    clients.push(writer)
    await writer.synced()
    typeParagraph(writer, 'First draft.')
    await writer.saved()
    const firstDraft = writer.json()
    const firstDraftSeq = (await server.server.store.history(sectionId)).at(-1)!.seq
    writer.fragment.delete(writer.fragment.length - 1, 1)
    typeParagraph(writer, 'Second draft, much longer than the first.')
    await writer.saved()
    const secondDraft = writer.json()
    writer.destroy()
    clients.length = 0

    server = await server.restart()
    // The snapshot holds the folded log; the log holds fewer records than the threshold.
    const folder = join(server.dataDir, 'sections', sectionId)
    expect((await stat(join(folder, 'snapshot.bin'))).size).toBeGreaterThan(0)
    expect((await readRecordFile(join(folder, 'log.bin'))).records.length).toBeLessThan(8)
    const history = await server.server.store.history(sectionId)
    // Seeding plus one record per keystroke and structural change, every one still listed.
    expect(history.length).toBeGreaterThan(50)
    expect(history.map((entry) => entry.seq)).toEqual(history.map((_, index) => index + 1))
    const old = await server.server.store.stateAt(sectionId, firstDraftSeq)
    expect(yXmlFragmentToProseMirrorRootNode(old.getXmlFragment('prosemirror'), schema).toJSON()).toEqual(firstDraft)

    const reader = connectClient(server.wsUrl, sectionId, (await server.login('drafter')).cookie)
    clients.push(reader)
    await reader.synced()
    await waitFor(() => reader.text().includes('Second draft'), { message: 'the second draft after restart' })
    expect(reader.json()).toEqual(secondDraft)
  })
})
