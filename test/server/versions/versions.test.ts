import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as Y from 'yjs'
import type { AuditEntryView, UserView } from '../../../shared/api.js'
import type { CompareView, DiffNode, RestoreView, VersionView } from '../../../shared/versions.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { waitFor } from '../../helpers/waitFor.js'

/**
 * Versions of a section through the real server: two drafters edit through
 * real y-websocket clients, and compare, restore and the workflow's
 * checkpoints are checked against what each of them did.
 */
let server: TestServer
const cookies: Record<string, string> = {}
let lena: UserView
let karim: UserView
let sectionIds: string[]
const clients: CollabClient[] = []

const KARIM = { email: 'karim@example.org', name: 'Karim Saleh', organisation: 'Lebanese Red Cross', password: 'a strong test password' }

beforeAll(async () => {
  server = await startTestServer()
  for (const role of ['drafter', 'reviewer', 'approver', 'admin']) cookies[role] = (await server.login(role)).cookie
  lena = (await server.login('drafter')).user
  // A second member of the drafting committee, invited as the secretariat would.
  const invited = await call('admin', 'POST', '/api/users', { email: KARIM.email, name: KARIM.name, organisation: KARIM.organisation, role: 'drafter' })
  const token = ((await invited.json()) as { invitePath: string }).invitePath.split('/').pop()
  expect((await call('admin', 'POST', `/api/invites/${token}`, { password: KARIM.password })).status).toBe(200)
  const signedIn = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: KARIM.email, password: KARIM.password }),
  })
  cookies.karim = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!
  karim = (await signedIn.json()) as UserView
  sectionIds = (await server.demoDocument(cookies.drafter!)).sections.map((section) => section.id)
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.close()
})

async function call(who: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: cookies[who]!, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function json<T>(response: Response, status = 200): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status)
  return (await response.json()) as T
}

async function connect(sectionId: string, who: string): Promise<CollabClient> {
  const client = connectClient(server.wsUrl, sectionId, cookies[who]!)
  clients.push(client)
  await client.synced()
  return client
}

/** The text of the `index`-th paragraph of a client's section. */
function paragraph(client: CollabClient, index: number): Y.XmlText {
  return (client.fragment.get(index) as Y.XmlElement).get(0) as Y.XmlText
}

function deleteWords(text: Y.XmlText, words: string): void {
  const at = text.toString().indexOf(words)
  expect(at).toBeGreaterThanOrEqual(0)
  text.delete(at, words.length)
}

async function nameVersion(sectionId: string, name: string, who = 'drafter'): Promise<VersionView> {
  return json<VersionView>(await call(who, 'POST', `/api/sections/${sectionId}/versions`, { name }), 201)
}

async function compare(sectionId: string, from: string, to: string): Promise<CompareView> {
  return json<CompareView>(await call('reviewer', 'GET', `/api/sections/${sectionId}/compare?from=${from}&to=${to}`))
}

async function versions(sectionId: string): Promise<VersionView[]> {
  return json<VersionView[]>(await call('reviewer', 'GET', `/api/sections/${sectionId}/versions`))
}

function plainChanges(view: CompareView): { change: string; text: string; author: string }[] {
  return view.changes.map((change) => ({ change: change.change, text: change.text, author: `${change.author.name}, ${change.author.organisation}` }))
}

describe('compare', () => {
  it('lists exactly the text each of two drafters inserted and deleted, with their names and organisations', async () => {
    const sectionId = sectionIds[0]!
    const lenaClient = await connect(sectionId, 'drafter')
    const karimClient = await connect(sectionId, 'karim')
    const before = await nameVersion(sectionId, 'Before the committee met')

    paragraph(lenaClient, 0).insert(0, 'Adopted text: ')
    await lenaClient.saved()
    await waitFor(() => paragraph(karimClient, 0).toString().startsWith('Adopted text: '))
    const first = paragraph(karimClient, 0)
    first.insert(first.length, ' Now.', { strong: {} })
    deleteWords(paragraph(karimClient, 1), ' (2019)')
    await karimClient.saved()
    const after = await nameVersion(sectionId, 'Draft for the regional conference', 'karim')

    const diff = await compare(sectionId, before.id, after.id)
    expect(plainChanges(diff)).toEqual([
      { change: 'inserted', text: 'Adopted text: ', author: 'Lena Karlsson, Swedish Red Cross' },
      { change: 'inserted', text: ' Now.', author: 'Karim Saleh, Lebanese Red Cross' },
      { change: 'deleted', text: ' (2019)', author: 'Karim Saleh, Lebanese Red Cross' },
    ])
    // In the editor's terms: the paragraphs, with the bold insertion carrying its mark.
    expect(diff.content.map((block) => block.type)).toEqual(['paragraph', 'paragraph'])
    const runs = diff.content[0]!.content as Extract<DiffNode, { type: 'text' }>[]
    expect(runs.map((run) => [run.text.slice(0, 20), run.change, run.marks.map((mark) => mark.type)])).toEqual([
      ['Adopted text: ', 'inserted', []],
      ['This strategy sets o', null, []],
      [' Now.', 'inserted', ['strong']],
    ])
    expect(runs[0]!.author!.id).toBe(lena.id)
    expect(runs[2]!.author!.id).toBe(karim.id)

    // The same against the current text, asked the other way round.
    const current = await compare(sectionId, before.id, 'current')
    expect(plainChanges(current)).toEqual(plainChanges(diff))
    expect((await compare(sectionId, after.id, before.id)).from.id).toBe(before.id)

    // The history lists who changed what since the previous version, and how much.
    const listed = await versions(sectionId)
    expect(listed.map((version) => version.label).slice(0, 2)).toEqual(['Draft for the regional conference', 'Before the committee met'])
    expect(listed[0]!.authors.map((author) => author.name).sort()).toEqual(['Karim Saleh', 'Lena Karlsson'])
    expect(listed[0]!.change).toEqual({ inserted: 'Adopted text: '.length + ' Now.'.length, deleted: ' (2019)'.length })
    expect(listed[0]!.createdBy).toMatchObject({ name: 'Karim Saleh', organisation: 'Lebanese Red Cross' })
  })
})

describe('restore', () => {
  it('brings the old text back for every connected client, as a new change by the drafter who restored it', async () => {
    const sectionId = sectionIds[2]!
    const lenaClient = await connect(sectionId, 'drafter')
    const karimClient = await connect(sectionId, 'karim')
    const original = lenaClient.text()
    const first = await nameVersion(sectionId, 'First reading')
    paragraph(lenaClient, 0).insert(0, 'Lena rewrites this. ')
    await lenaClient.saved()
    await waitFor(() => karimClient.text() === lenaClient.text())
    deleteWords(paragraph(karimClient, 0), 'whatever their legal status')
    await karimClient.saved()
    const second = await nameVersion(sectionId, 'Second reading')

    const restored = await json<RestoreView>(await call('karim', 'POST', `/api/sections/${sectionId}/versions/${first.id}/restore`))
    expect(restored.version).toMatchObject({ kind: 'restore', label: 'Restored “First reading”', createdBy: { name: 'Karim Saleh' } })
    // Nothing changed since "Second reading", so no extra checkpoint was needed before restoring.
    expect(restored.before).toBeNull()
    for (const client of [lenaClient, karimClient]) await waitFor(() => client.text() === original, { message: 'the restored text' })

    // History is kept: the versions before the restore stay listed, the restore is a version on top.
    expect((await versions(sectionId)).map((version) => version.id)).toEqual([restored.version.id, second.id, first.id])
    // What the restore changed, word by word, is Karim's; the restored text reads as the first version did.
    expect(plainChanges(await compare(sectionId, second.id, restored.version.id))).toEqual([
      { change: 'deleted', text: 'Lena rewrites this. ', author: 'Karim Saleh, Lebanese Red Cross' },
      { change: 'inserted', text: 'whatever their legal status', author: 'Karim Saleh, Lebanese Red Cross' },
    ])
    expect((await compare(sectionId, first.id, restored.version.id)).changes).toEqual([])

    const audit = await json<AuditEntryView[]>(await call('admin', 'GET', `/api/audit?action=version_restored&target=${sectionId}`))
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor: 'Karim Saleh', details: expect.stringContaining('First reading') })
  })

  it('keeps the text before a restore as a checkpoint when it is not a version yet', async () => {
    const sectionId = sectionIds[3]!
    const client = await connect(sectionId, 'drafter')
    const named = await nameVersion(sectionId, 'Agreed wording')
    paragraph(client, 0).insert(0, 'Unsaved idea. ')
    await client.saved()
    const restored = await json<RestoreView>(await call('drafter', 'POST', `/api/sections/${sectionId}/versions/${named.id}/restore`))
    expect(restored.before).toMatchObject({ kind: 'auto', label: 'Before restoring “Agreed wording”', authors: [{ name: 'Lena Karlsson' }] })
    const undo = await compare(sectionId, restored.before!.id, 'current')
    expect(plainChanges(undo)).toEqual([{ change: 'deleted', text: 'Unsaved idea. ', author: 'Lena Karlsson, Swedish Red Cross' }])
    await waitFor(() => !client.text().includes('Unsaved idea.'))
  })
})

describe('the workflow', () => {
  it('takes a checkpoint at every status change, and no one restores a version of an approved section', async () => {
    const sectionId = sectionIds[4]!
    const named = await nameVersion(sectionId, 'Before review')
    expect((await call('drafter', 'POST', `/api/sections/${sectionId}/submit`)).status).toBe(200)
    expect((await call('approver', 'POST', `/api/sections/${sectionId}/approve`)).status).toBe(200)
    const listed = await versions(sectionId)
    expect(listed.map((version) => [version.kind, version.label, version.createdBy?.name])).toEqual([
      ['status', 'Approved', 'Elif Demir'],
      ['status', 'Submitted for review', 'Lena Karlsson'],
      ['named', 'Before review', 'Lena Karlsson'],
    ])
    expect(new Set(listed.map((version) => version.seq)).size).toBe(1)

    const refused = await call('drafter', 'POST', `/api/sections/${sectionId}/versions/${named.id}/restore`)
    expect(refused.status).toBe(403)
    expect((await refused.json()).error.message).toMatch(/approved and locked; reopen it/)
    // Naming the approved text changes nothing, so it is allowed.
    await nameVersion(sectionId, 'As approved')
  })
})

describe('access and input', () => {
  it('lets everyone read the history, only drafters name and restore versions', async () => {
    const sectionId = sectionIds[5]!
    const named = await nameVersion(sectionId, 'Baseline')
    for (const who of ['reviewer', 'approver', 'admin']) {
      expect((await call(who, 'GET', `/api/sections/${sectionId}/versions`)).status).toBe(200)
      const naming = await call(who, 'POST', `/api/sections/${sectionId}/versions`, { name: 'Mine' })
      expect(naming.status).toBe(403)
      expect((await naming.json()).error.message).toBe('Only the drafting committee names versions')
      const restoring = await call(who, 'POST', `/api/sections/${sectionId}/versions/${named.id}/restore`)
      expect(restoring.status).toBe(403)
      expect((await restoring.json()).error.message).toBe('Only the drafting committee restores versions')
    }
    const anonymous = await fetch(`${server.url}/api/sections/${sectionId}/versions`)
    expect(anonymous.status).toBe(401)
  })

  it('answers bad input with a 400 that names the field, and unknown things with a 404', async () => {
    const sectionId = sectionIds[6]!
    const named = await nameVersion(sectionId, 'Baseline')
    const expectField = async (response: Response, field: string) => {
      expect(response.status).toBe(400)
      expect((await response.json()).error.field).toBe(field)
    }
    await expectField(await call('drafter', 'POST', `/api/sections/${sectionId}/versions`, {}), 'name')
    await expectField(await call('drafter', 'POST', `/api/sections/${sectionId}/versions`, { name: '   ' }), 'name')
    await expectField(await call('drafter', 'POST', `/api/sections/${sectionId}/versions`, { name: 'x'.repeat(121) }), 'name')
    await expectField(await call('drafter', 'GET', `/api/sections/${sectionId}/compare`), 'from')
    await expectField(await call('drafter', 'GET', `/api/sections/${sectionId}/compare?from=nope`), 'from')
    await expectField(await call('drafter', 'GET', `/api/sections/${sectionId}/compare?from=${named.id}&to=nope`), 'to')
    // A version of another section is not one of this section's.
    await expectField(await call('drafter', 'GET', `/api/sections/${sectionIds[0]}/compare?from=${named.id}`), 'from')
    expect((await call('drafter', 'POST', `/api/sections/${sectionId}/versions/nope/restore`)).status).toBe(404)
    expect((await call('drafter', 'GET', '/api/sections/s-nope/versions')).status).toBe(404)
  })
})

describe('history folded into the snapshot', () => {
  it('compares and restores versions whose updates were compacted', async () => {
    const compacting = await startTestServer({ config: { compactAfterRecords: 3 } })
    const { cookie } = await compacting.login('drafter')
    const sectionId = (await compacting.demoDocument(cookie)).sections[0]!.id
    const client = connectClient(compacting.wsUrl, sectionId, cookie)
    try {
      await client.synced()
      const request = (method: string, path: string, body?: unknown) =>
        fetch(`${compacting.url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      const first = await json<VersionView>(await request('POST', `/api/sections/${sectionId}/versions`, { name: 'One' }), 201)
      for (const word of ['alpha ', 'beta ', 'gamma ']) {
        paragraph(client, 0).insert(0, word)
        await client.saved()
      }
      deleteWords(paragraph(client, 1), 'Almaty ')
      await client.saved()
      const second = await json<VersionView>(await request('POST', `/api/sections/${sectionId}/versions`, { name: 'Two' }), 201)
      expect(existsSync(join(compacting.dataDir, 'sections', sectionId, 'history.bin'))).toBe(true)
      const diff = await json<CompareView>(await request('GET', `/api/sections/${sectionId}/compare?from=${first.id}&to=${second.id}`))
      expect(plainChanges(diff)).toEqual([
        { change: 'inserted', text: 'gamma beta alpha ', author: 'Lena Karlsson, Swedish Red Cross' },
        { change: 'deleted', text: 'Almaty ', author: 'Lena Karlsson, Swedish Red Cross' },
      ])
      const original = (await json<CompareView>(await request('GET', `/api/sections/${sectionId}/compare?from=${first.id}&to=${first.id}`))).content
      await json<RestoreView>(await request('POST', `/api/sections/${sectionId}/versions/${first.id}/restore`))
      await waitFor(() => !client.text().includes('gamma') && client.text().includes('Almaty'), { message: 'the restored text' })
      const now = await json<CompareView>(await request('GET', `/api/sections/${sectionId}/compare?from=${first.id}&to=current`))
      expect(now.changes).toEqual([])
      expect(now.content.map((block) => block.content.map((run) => (run.type === 'text' ? run.text : '')).join(''))).toEqual(
        original.map((block) => block.content.map((run) => (run.type === 'text' ? run.text : '')).join('')),
      )
    } finally {
      client.destroy()
      await compacting.close()
    }
  })
})
