import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { parse } from 'csv-parse/sync'
import { anchorInText, textNodesOf, type Anchor } from '../../../shared/anchors.js'
import type { InputView } from '../../../shared/inputs.js'
import type { CoverageReport, DispositionRow } from '../../../shared/reports.js'
import type { ThreadView } from '../../../shared/threads.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'

let server: TestServer
const cookies: Record<string, string> = {}
let documentId: string
let sectionIds: string[]
let inputs: InputView[]
const clients: CollabClient[] = []

beforeAll(async () => {
  server = await startTestServer()
  for (const role of ['drafter', 'reviewer', 'approver', 'admin']) cookies[role] = (await server.login(role)).cookie
  const document = await server.demoDocument(cookies.drafter!)
  documentId = document.id
  sectionIds = document.sections.map((section) => section.id)
  inputs = await (await fetch(`${server.url}/api/inputs?documentId=${documentId}`, { headers: { cookie: cookies.drafter! } })).json()
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.close()
})

async function call(role: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: cookies[role]!, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function storedDoc(sectionId: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, (await server.server.store.load(sectionId))!)
  return doc
}

async function anchorOn(sectionId: string, words: string): Promise<Anchor> {
  const text = textNodesOf((await storedDoc(sectionId)).getXmlFragment('prosemirror'))[0]!
  const from = text.toString().indexOf(words)
  expect(from).toBeGreaterThanOrEqual(0)
  return anchorInText(text, from, from + words.length)
}

async function createThread(role: string, sectionId: string, words: string, extra: Record<string, unknown> = {}): Promise<ThreadView> {
  const response = await call(role, 'POST', `/api/sections/${sectionId}/threads`, {
    anchor: await anchorOn(sectionId, words),
    body: `About "${words}"`,
    ...extra,
  })
  expect(response.status).toBe(201)
  return response.json()
}

describe('the conference input library', () => {
  it('is seeded from the concept note', () => {
    const kinds = new Set(inputs.map((input) => input.kind))
    expect(kinds).toEqual(new Set(['breakout_output', 'guiding_question', 'commitment', 'trend', 'challenge', 'survey_finding', 'pledge', 'submission']))
    expect(inputs.filter((input) => input.source.startsWith('Almaty'))).toHaveLength(5)
    expect(inputs.filter((input) => input.source.startsWith('Break-out session') && input.kind === 'guiding_question')).toHaveLength(9)
  })

  it('searches and filters', async () => {
    const found: InputView[] = await (await call('reviewer', 'GET', `/api/inputs?q=non-refoulement`)).json()
    expect(found.map((input) => input.title)).toEqual(['Safe and dignified returns and non-refoulement'])
    const trends: InputView[] = await (await call('reviewer', 'GET', `/api/inputs?kind=trend`)).json()
    expect(trends.every((input) => input.kind === 'trend')).toBe(true)
    const bad = await call('reviewer', 'GET', '/api/inputs?kind=rumour')
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.field).toBe('kind')
  })

  it('lets reviewers add inputs and only admins edit or merge them', async () => {
    const added = await call('reviewer', 'POST', '/api/inputs', {
      documentId,
      kind: 'breakout_output',
      source: 'Break-out session 2',
      title: 'Climate displacement needs its own chapter',
      text: 'The session concluded that climate-related displacement deserves separate treatment.',
      tags: ['climate'],
    })
    expect(added.status).toBe(201)
    const input = (await added.json()) as InputView
    expect(input.addedBy.organisation).toBe('Polish Red Cross')
    expect((await call('reviewer', 'PATCH', `/api/inputs/${input.id}`, { title: 'x' })).status).toBe(403)
    expect((await call('drafter', 'POST', `/api/inputs/${input.id}/merge`, { into: inputs[0]!.id })).status).toBe(403)
    const climate = inputs.find((candidate) => candidate.title === 'Climate change and disasters')!
    const merged = await call('admin', 'POST', `/api/inputs/${input.id}/merge`, { into: climate.id })
    expect(merged.status).toBe(200)
    const listed: InputView[] = await (await call('reviewer', 'GET', '/api/inputs?q=chapter')).json()
    expect(listed).toEqual([])
    const deferred = await call('drafter', 'PUT', `/api/inputs/${climate.id}/status`, { status: 'deferred' })
    expect(deferred.status).toBe(400)
    expect((await deferred.json()).error.field).toBe('reason')
  })
})

describe('threads', () => {
  it('reviewers comment, reply, suggest and link inputs, but cannot resolve others’ threads or record dispositions', async () => {
    const sectionId = sectionIds[0]!
    const drafterThread = await createThread('drafter', sectionId, 'reduce the risks')
    const reviewerThread = await createThread('reviewer', sectionId, 'strengthen their resilience', {
      inputIds: [inputs[0]!.id],
      suggestion: 'build their resilience',
    })
    expect(reviewerThread.comments[0]!.author.organisation).toBe('Polish Red Cross')
    expect(reviewerThread.suggestion).toMatchObject({ text: 'build their resilience', status: 'pending' })
    expect((await call('reviewer', 'POST', `/api/threads/${drafterThread.id}/comments`, { body: 'Agreed, @Lena Karlsson.' })).status).toBe(201)
    expect((await call('reviewer', 'POST', `/api/threads/${drafterThread.id}/resolve`)).status).toBe(403)
    expect((await call('reviewer', 'PUT', `/api/threads/${drafterThread.id}/disposition`, { value: 'noted' })).status).toBe(403)
    expect((await call('reviewer', 'PUT', `/api/threads/${reviewerThread.id}/disposition`, { value: 'noted' })).status).toBe(403)
    expect((await call('reviewer', 'POST', `/api/threads/${reviewerThread.id}/suggestion/accept`)).status).toBe(403)
    // Their own thread they may resolve and relink.
    expect((await call('reviewer', 'PUT', `/api/threads/${reviewerThread.id}/inputs`, { inputIds: [inputs[1]!.id] })).status).toBe(200)
    expect((await call('reviewer', 'POST', `/api/threads/${reviewerThread.id}/resolve`)).status).toBe(200)
    expect((await call('reviewer', 'POST', `/api/threads/${reviewerThread.id}/reopen`)).status).toBe(200)

    const threads: ThreadView[] = await (await call('approver', 'GET', `/api/sections/${sectionId}/threads`)).json()
    const replied = threads.find((thread) => thread.id === drafterThread.id)!
    expect(replied.comments.map((comment) => comment.body)).toEqual(['About "reduce the risks"', 'Agreed, @Lena Karlsson.'])
    const drafter = await (await call('drafter', 'GET', '/api/me')).json()
    expect(replied.mentions).toEqual([drafter.id])
  })

  it('lets authors edit and delete only their own comments', async () => {
    const thread = await createThread('reviewer', sectionIds[1]!, 'Armed conflict')
    const commentId = thread.comments[0]!.id
    expect((await call('drafter', 'PATCH', `/api/threads/${thread.id}/comments/${commentId}`, { body: 'hijack' })).status).toBe(403)
    const edited: ThreadView = await (await call('reviewer', 'PATCH', `/api/threads/${thread.id}/comments/${commentId}`, { body: 'Clarified.' })).json()
    expect(edited.comments[0]).toMatchObject({ body: 'Clarified.', editedAt: expect.any(String) })
    const deleted: ThreadView = await (await call('reviewer', 'DELETE', `/api/threads/${thread.id}/comments/${commentId}`)).json()
    expect(deleted.comments[0]).toMatchObject({ body: '', deleted: true })
  })

  it('refuses oversized and empty comments with a 400 that names the field', async () => {
    const sectionId = sectionIds[1]!
    const anchor = await anchorOn(sectionId, 'climate change')
    const long = await call('reviewer', 'POST', `/api/sections/${sectionId}/threads`, { anchor, body: 'x'.repeat(5001) })
    expect(long.status).toBe(400)
    expect((await long.json()).error).toMatchObject({ field: 'body', message: 'body: must be at most 5000 characters' })
    const empty = await call('reviewer', 'POST', `/api/sections/${sectionId}/threads`, { anchor, body: '   ' })
    expect((await empty.json()).error.field).toBe('body')
    const unknownInput = await call('reviewer', 'POST', `/api/sections/${sectionId}/threads`, { anchor, body: 'ok', inputIds: ['nope'] })
    expect((await unknownInput.json()).error).toMatchObject({ field: 'inputIds', message: 'inputIds: no input nope in this document', detail: { reason: 'not_found' } })
    const noQuote = await call('reviewer', 'POST', `/api/sections/${sectionId}/threads`, { anchor: { ...anchor, quote: '' }, body: 'ok' })
    expect((await noQuote.json()).error).toMatchObject({ field: 'anchor.quote', detail: { reason: 'required' } })
  })

  it('stores markup in a comment as the text it is', async () => {
    const sectionId = sectionIds[1]!
    const body = '<img src=x onerror=alert(1)>'
    const response = await call('reviewer', 'POST', `/api/sections/${sectionId}/threads`, { anchor: await anchorOn(sectionId, 'health threats'), body })
    expect(((await response.json()) as ThreadView).comments[0]!.body).toBe(body)
  })
})

describe('suggestions', () => {
  it('accepting one changes the text for every connected client and records the disposition', async () => {
    const sectionId = sectionIds[3]!
    const watchers = [connectClient(server.wsUrl, sectionId, cookies.drafter!), connectClient(server.wsUrl, sectionId, cookies.reviewer!)]
    clients.push(...watchers)
    await Promise.all(watchers.map((watcher) => watcher.synced()))
    const thread = await createThread('reviewer', sectionId, 'safety and dignity', { suggestion: 'safety, dignity and rights' })
    const accepted = await call('drafter', 'POST', `/api/threads/${thread.id}/suggestion/accept`)
    expect(accepted.status).toBe(200)
    const view = (await accepted.json()) as ThreadView
    expect(view.suggestion).toMatchObject({ status: 'accepted', decidedBy: { name: 'Lena Karlsson' } })
    expect(view.disposition).toMatchObject({ value: 'accepted' })
    expect(view.status).toBe('resolved')
    expect(view.anchor.quote).toBe('safety, dignity and rights')
    for (const watcher of watchers) {
      await waitFor(() => watcher.text().includes('safety, dignity and rights'), { message: 'the accepted text to arrive' })
      expect(watcher.text()).not.toContain('safety and dignity')
    }
    // Stored as the drafter's edit.
    const history = await server.server.store.history(sectionId)
    const drafter = await (await call('drafter', 'GET', '/api/me')).json()
    expect(history.at(-1)!.author).toBe(drafter.id)
    expect((await call('drafter', 'POST', `/api/threads/${thread.id}/suggestion/accept`)).status).toBe(409)
  })

  it('rejecting one leaves the text as it was', async () => {
    const sectionId = sectionIds[4]!
    const before = (await storedDoc(sectionId)).getXmlFragment('prosemirror').toString()
    const thread = await createThread('reviewer', sectionId, 'sharing knowledge', { suggestion: 'pooling knowledge' })
    const rejected = await call('drafter', 'POST', `/api/threads/${thread.id}/suggestion/reject`, { rationale: 'Sharing is the agreed term.' })
    expect(rejected.status).toBe(200)
    expect(((await rejected.json()) as ThreadView).disposition).toMatchObject({ value: 'not_retained', rationale: 'Sharing is the agreed term.' })
    expect((await storedDoc(sectionId)).getXmlFragment('prosemirror').toString()).toBe(before)
  })
})

describe('reports', () => {
  it('the coverage and disposition CSVs match the threads and links in the store', async () => {
    const sectionId = sectionIds[5]!
    const commitment = inputs.find((input) => input.title === 'Defend humanitarian space and advocate for migrants')!
    const linked = await createThread('reviewer', sectionId, 'humanitarian space', { inputIds: [commitment.id] })
    expect((await call('drafter', 'PUT', `/api/threads/${linked.id}/disposition`, { value: 'accepted_with_changes', rationale: 'Merged into paragraph 2.' })).status).toBe(200)
    const data = inputs.find((input) => input.title === 'A joint process to collect data and identify gaps')!
    expect((await call('drafter', 'PUT', `/api/inputs/${data.id}/addressed-in`, { sectionIds: [sectionIds[6]] })).status).toBe(200)

    const coverage: CoverageReport = await (await call('approver', 'GET', `/api/documents/${documentId}/coverage`)).json()
    const csv = await call('approver', 'GET', `/api/documents/${documentId}/coverage?format=csv`)
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    const rows: string[][] = parse((await csv.text()).replace(/^\uFEFF/, ''))
    const sectionTitles = coverage.sections.map((section) => section.title)
    expect(rows[0]).toEqual(['Input', 'Kind', 'Source', 'Status', ...sectionTitles, 'Addressed'])
    const store = server.server.db.data
    const liveInputs = store.inputs.filter((input) => input.mergedInto === null)
    expect(rows.length - 1).toBe(liveInputs.length)
    for (const input of liveInputs) {
      const row = rows.find((candidate) => candidate[0] === input.title)!
      sectionIds.forEach((id, column) => {
        const threads = store.threads.filter((thread) => thread.sectionId === id && thread.inputIds.includes(input.id)).length
        const cell = row[4 + column]!
        expect(cell.includes(`${threads} thread`), `${input.title} × ${sectionTitles[column]}`).toBe(threads > 0)
        expect(cell.includes('addressed')).toBe(input.addressedIn.includes(id))
      })
    }
    expect(rows.find((row) => row[0] === commitment.title)![4 + 5]).toBe('1 thread')
    expect(rows.find((row) => row[0] === data.title)![4 + 6]).toBe('addressed')

    const dispositions = await call('approver', 'GET', `/api/documents/${documentId}/dispositions?format=csv`)
    const table: string[][] = parse((await dispositions.text()).replace(/^\uFEFF/, ''))
    expect(table.length - 1).toBe(store.threads.length)
    const row = table.find((candidate) => candidate[3] === 'humanitarian space')!
    expect(row).toEqual([
      'Polish Red Cross',
      'Tomasz Nowak',
      'Humanitarian diplomacy',
      'humanitarian space',
      'About "humanitarian space"',
      '',
      commitment.title,
      'open',
      'Accepted with changes',
      'Merged into paragraph 2.',
      'Lena Karlsson',
      expect.any(String),
    ])
    const polish: DispositionRow[] = await (await call('approver', 'GET', `/api/documents/${documentId}/dispositions?organisation=Polish%20Red%20Cross`)).json()
    expect(polish.length).toBe(store.threads.filter((thread) => thread.comments[0]!.authorId === store.users.find((u) => u.email === 'reviewer@demo.local')!.id).length)
  })

  it('escapes cells that a spreadsheet would run as formulas', async () => {
    const sectionId = sectionIds[6]!
    await call('reviewer', 'POST', `/api/sections/${sectionId}/threads`, { anchor: await anchorOn(sectionId, 'joint process'), body: '=HYPERLINK("http://evil")' })
    const text = await (await call('approver', 'GET', `/api/documents/${documentId}/dispositions?format=csv`)).text()
    expect(text).toContain(`'=HYPERLINK`)
  })
})

describe('live events', () => {
  it('sends a new thread to every open event stream', async () => {
    const controller = new AbortController()
    const response = await fetch(`${server.url}/api/documents/${documentId}/events`, { headers: { cookie: cookies.approver! }, signal: controller.signal })
    const reader = response.body!.getReader()
    let received = ''
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        received += new TextDecoder().decode(value)
      }
    })()
    await waitFor(() => received.includes('event: presence'), { message: 'the first event' })
    const thread = await createThread('reviewer', sectionIds[7]!, 'staff time')
    await waitFor(() => received.includes(`"id":"${thread.id}"`), { message: 'the thread event' })
    expect(received).toContain('event: thread')
    controller.abort()
    await reading.catch(() => undefined)
  })
})
