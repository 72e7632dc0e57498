import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { SectionView } from '../../../shared/api.js'
import { MessageType } from '../../../shared/relayProtocol.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'

let server: TestServer | null = null
const clients: CollabClient[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server?.close()
  server = null
})

function connect(sectionId: string, cookie: string): CollabClient {
  const client = connectClient(server!.wsUrl, sectionId, cookie)
  clients.push(client)
  return client
}

function appendParagraph(client: CollabClient, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement('paragraph')
  const content = new Y.XmlText(text)
  paragraph.insert(0, [content])
  client.fragment.push([paragraph])
  return content
}

async function post(path: string, cookie: string, body?: unknown): Promise<Response> {
  return fetch(`${server!.url}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
}

async function sectionView(cookie: string, sectionId: string): Promise<SectionView> {
  return (await server!.demoDocument(cookie)).sections.find((section) => section.id === sectionId)!
}

function storedText(update: Uint8Array): string {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc.getXmlFragment('prosemirror').toString()
}

describe('read-only connections', () => {
  it("drops a reviewer's update: the store and other clients stay unchanged, and the reviewer is told", async () => {
    server = await startTestServer()
    const drafter = (await server.login('drafter')).cookie
    const reviewer = (await server.login('reviewer')).cookie
    const sectionId = (await server.demoDocument(drafter)).sections[0]!.id
    const watcher = connect(sectionId, drafter)
    const intruder = connect(sectionId, reviewer)
    await Promise.all([watcher.synced(), intruder.synced()])
    expect(intruder.access).toEqual({ access: 'read', reason: 'role' })
    const storedBefore = await server.server.store.load(sectionId)
    const watcherBefore = watcher.json()

    let notices = 0
    const handler = intruder.provider.messageHandlers[MessageType.access]!
    intruder.provider.messageHandlers[MessageType.access] = (...args) => {
      notices++
      handler(...args)
    }
    appendParagraph(intruder, 'Reviewer rewrites the strategy.')
    await waitFor(() => notices > 0, { message: 'the reviewer to be told' })

    // A drafter's edit after it still goes through, so the relay is not stuck.
    appendParagraph(watcher, 'Drafter keeps writing.')
    await watcher.saved()
    expect(watcher.text()).not.toContain('Reviewer rewrites')
    expect(storedText((await server.server.store.load(sectionId))!)).not.toContain('Reviewer rewrites')
    expect(watcher.json()).toEqual({
      ...watcherBefore,
      content: [...(watcherBefore.content ?? []), { type: 'paragraph', content: [{ type: 'text', text: 'Drafter keeps writing.' }] }],
    })
    expect(storedBefore).not.toBeNull()

    // A fresh reviewer connection sees the server's text, without the dropped edit.
    const fresh = connect(sectionId, reviewer)
    await fresh.synced()
    await waitFor(() => fresh.text().includes('Drafter keeps writing.'), { message: 'the fresh view' })
    expect(fresh.text()).not.toContain('Reviewer rewrites')
  })
})

describe('approval binds to the exact text', () => {
  it('locks a section mid-typing, keeps the approved hash across a restart, and reopens', async () => {
    server = await startTestServer()
    const drafter = (await server.login('drafter')).cookie
    const approver = (await server.login('approver')).cookie
    const sectionId = (await server.demoDocument(drafter)).sections[2]!.id
    const typist = connect(sectionId, drafter)
    await typist.synced()
    const text = appendParagraph(typist, 'Typing: ')
    await typist.saved()
    expect((await post(`/api/sections/${sectionId}/submit`, drafter)).status).toBe(200)

    // Keep typing while the approval happens.
    let typed = 0
    let typing = true
    const typingDone = (async () => {
      while (typing) {
        text.insert(text.length, String(typed++ % 10))
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
    })()
    await waitFor(() => typed > 20, { message: 'some typing' })
    const approval = await post(`/api/sections/${sectionId}/approve`, approver)
    expect(approval.status).toBe(200)
    const approved = (await approval.json()) as SectionView
    await waitFor(() => typist.access?.access === 'read', { message: 'the typist to be told' })
    const typedAtApproval = typed
    await waitFor(() => typed > typedAtApproval + 20, { message: 'more typing after the approval' })
    typing = false
    await typingDone

    expect(approved.status).toBe('approved')
    expect(approved.approval).toEqual({ by: 'Elif Demir, Turkish Red Crescent', at: expect.any(String), hash: approved.currentHash })
    expect(typist.access).toEqual({ access: 'read', reason: 'approved' })
    // Nothing typed after the approval reached the server.
    expect((await sectionView(drafter, sectionId)).currentHash).toBe(approved.approval!.hash)

    for (const client of clients.splice(0)) client.destroy()
    server = await server.restart()
    const drafterAgain = (await server.login('drafter')).cookie
    const afterRestart = await sectionView(drafterAgain, sectionId)
    expect(afterRestart.status).toBe('approved')
    expect(afterRestart.currentHash).toBe(approved.approval!.hash)
    expect(afterRestart.approval).toEqual(approved.approval)
    // The approved Yjs state was kept and hashes the same.
    const record = server.server.db.data.sections.find((section) => section.id === sectionId)!
    expect(await server.server.store.keptState(sectionId, record.approval!.stateLabel)).not.toBeNull()

    // Locked for drafters over HTTP too.
    const locked = connect(sectionId, drafterAgain)
    await locked.synced()
    expect(locked.access).toEqual({ access: 'read', reason: 'approved' })

    const approverAgain = (await server.login('approver')).cookie
    const missingReason = await post(`/api/sections/${sectionId}/reopen`, approverAgain, {})
    expect(missingReason.status).toBe(400)
    expect((await missingReason.json()).error.field).toBe('reason')
    const reopen = await post(`/api/sections/${sectionId}/reopen`, approverAgain, { reason: 'New conference input.' })
    expect(reopen.status).toBe(200)
    await waitFor(() => locked.access?.access === 'write', { message: 'the drafter to be told it may write again' })
    appendParagraph(locked, 'Edited after reopening.')
    await locked.saved()
    expect(storedText((await server.server.store.load(sectionId))!)).toContain('Edited after reopening.')
  })

  it('refuses workflow steps from the wrong status with a 409 that says why', async () => {
    server = await startTestServer()
    const approver = (await server.login('approver')).cookie
    const sectionId = (await server.demoDocument(approver)).sections[0]!.id
    const response = await post(`/api/sections/${sectionId}/approve`, approver)
    expect(response.status).toBe(409)
    expect((await response.json()).error.message).toBe(
      '"Purpose of the strategy" is in drafting; only a section in review can be approved',
    )
  })

  it('sends a section back to drafting with the note of who asked for changes', async () => {
    server = await startTestServer()
    const drafter = (await server.login('drafter')).cookie
    const approver = (await server.login('approver')).cookie
    const sectionId = (await server.demoDocument(drafter)).sections[1]!.id
    await post(`/api/sections/${sectionId}/submit`, drafter)
    const response = await post(`/api/sections/${sectionId}/request-changes`, approver, { note: 'Add climate displacement.' })
    expect(response.status).toBe(200)
    const view = (await response.json()) as SectionView
    expect(view.status).toBe('drafting')
    expect(view.changeRequest).toEqual({ by: 'Elif Demir, Turkish Red Crescent', at: expect.any(String), note: 'Add climate displacement.' })
    const audit = await (await fetch(`${server.url}/api/audit?action=changes_requested`, { headers: { cookie: (await server.login('admin')).cookie } })).json()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor: 'Elif Demir', details: 'Add climate displacement.', target: { id: sectionId } })
  })
})
