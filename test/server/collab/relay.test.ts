import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../../shared/closeCodes.js'
import type { DocumentView } from '../../../shared/api.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'

let server: TestServer
let drafter: string
let otherDrafter: string
let document: DocumentView
const clients: CollabClient[] = []

function client(sectionId: string, cookie: string | null): CollabClient {
  const created = connectClient(server.wsUrl, sectionId, cookie)
  clients.push(created)
  return created
}

function appendParagraph(target: CollabClient, text: string): void {
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  target.fragment.push([paragraph])
}

beforeAll(async () => {
  server = await startTestServer()
  drafter = (await server.login('drafter')).cookie
  // A second session of the same drafter stands in for a second delegate.
  otherDrafter = (await server.login('drafter')).cookie
  document = await server.demoDocument(drafter)
})

// Each test's clients leave with it: y-websocket's providers each listen
// for the process's exit, and a dozen left connected drew a leak warning.
afterEach(() => {
  for (const created of clients.splice(0)) created.destroy()
})

afterAll(async () => {
  await server.close()
})

describe('the collaboration relay', () => {
  it('serves the stored section text on first sync', async () => {
    const section = document.sections[0]!
    const reader = client(section.id, drafter)
    await reader.synced()
    expect(reader.text()).toContain('This strategy sets out how the components')
  })

  it('makes two clients converge and gives a late joiner the full text', async () => {
    const sectionId = document.sections[1]!.id
    const a = client(sectionId, drafter)
    const b = client(sectionId, otherDrafter)
    await Promise.all([a.synced(), b.synced()])
    appendParagraph(a, 'Written by A.')
    appendParagraph(b, 'Written by B.')
    await waitFor(() => a.text().includes('Written by B.') && b.text().includes('Written by A.'), { message: 'A and B to see each other' })
    expect(a.json()).toEqual(b.json())

    const late = client(sectionId, drafter)
    await late.synced()
    await waitFor(() => JSON.stringify(late.json()) === JSON.stringify(a.json()), { message: 'the late joiner to catch up' })
    expect(late.text()).toContain('Written by A.')
    expect(late.text()).toContain('Written by B.')
  })

  it('replaces the user in awareness with the authenticated name and organisation', async () => {
    const sectionId = document.sections[2]!.id
    const reviewer = await server.login('reviewer')
    const poser = client(sectionId, reviewer.cookie)
    const watcher = client(sectionId, drafter)
    await Promise.all([poser.synced(), watcher.synced()])
    poser.provider.awareness.setLocalStateField('user', { name: 'Someone Else', organisation: 'Not Mine', color: '#000' })
    const seen = await waitFor(
      () => watcher.provider.awareness.getStates().get(poser.doc.clientID)?.user as Record<string, string> | undefined,
      { message: "the watcher to see the reviewer's presence" },
    )
    expect(seen).toEqual({
      id: reviewer.user.id,
      name: 'Tomasz Nowak',
      organisation: 'Polish Red Cross',
      color: reviewer.user.color,
    })
  })

  it('closes a connection without a session with the unauthorized code', async () => {
    const anonymous = client(document.sections[0]!.id, null)
    await waitFor(() => anonymous.closes.length > 0, { message: 'the close' })
    expect(anonymous.closes[0]).toEqual({ code: CloseCode.unauthorized, reason: 'Sign in to open this section' })
    expect(anonymous.provider.shouldConnect).toBe(false)
  })

  it('closes a connection with a bogus cookie with the unauthorized code', async () => {
    const forged = client(document.sections[0]!.id, 'dr_session=forged-token')
    await waitFor(() => forged.closes.length > 0, { message: 'the close' })
    expect(forged.closes[0]!.code).toBe(CloseCode.unauthorized)
  })

  it('closes a connection to an unknown section with its code', async () => {
    const lost = client('s-0000000000000000', drafter)
    await waitFor(() => lost.closes.length > 0, { message: 'the close' })
    expect(lost.closes[0]).toEqual({ code: CloseCode.unknownSection, reason: 'No such section' })
  })

  it('tells each client which state is on disk once it is', async () => {
    const sectionId = document.sections[3]!.id
    const writer = client(sectionId, drafter)
    await writer.synced()
    appendParagraph(writer, 'Persist me.')
    await writer.saved()
    const stored = new Y.Doc()
    Y.applyUpdate(stored, (await server.server.store.load(sectionId))!)
    expect(stored.getXmlFragment('prosemirror').toString()).toContain('Persist me.')
  })

  it('unloads a section once its last client has left and its updates are stored', async () => {
    const sectionId = document.sections[4]!.id
    const visitor = client(sectionId, drafter)
    await visitor.synced()
    expect(server.server.relay.loadedSections()).toContain(sectionId)
    appendParagraph(visitor, 'Left behind.')
    visitor.destroy()
    await waitFor(() => !server.server.relay.loadedSections().includes(sectionId), { message: 'the section to unload' })
    const stored = new Y.Doc()
    Y.applyUpdate(stored, (await server.server.store.load(sectionId))!)
    expect(stored.getXmlFragment('prosemirror').toString()).toContain('Left behind.')
  })
})
