import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, DEMO_PASSWORD, type TestServer } from '../helpers/testServer.js'
import { DEMO_SECTIONS } from '../../server/demo/demoWorkspace.js'
import type { DocumentEvent } from '../../shared/api.js'
import { connectClient } from '../helpers/collabClient.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})

afterAll(async () => {
  await server.close()
})

const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

describe('the HTTP API', () => {
  it('answers the health check', async () => {
    const response = await fetch(`${server.url}/healthz`)
    expect(response.status).toBe(200)
  })

  it('signs in with the demo password, sets an httpOnly SameSite cookie and knows the user', async () => {
    const response = await post('/api/session', { email: 'Drafter@Demo.Local ', password: DEMO_PASSWORD })
    expect(response.status).toBe(200)
    const setCookie = response.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/^dr_session=/)
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    const user = await response.json()
    expect(user).toMatchObject({ email: 'drafter@demo.local', role: 'drafter', organisation: 'Swedish Red Cross' })
    expect(user).not.toHaveProperty('passwordHash')

    const cookie = setCookie.split(';')[0]!
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie } })
    expect(me.status).toBe(200)
    expect((await me.json()).email).toBe('drafter@demo.local')

    const out = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } })
    expect(out.status).toBe(204)
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(401)
  })

  it('refuses a wrong password or an unknown email with the same 401', async () => {
    for (const body of [
      { email: 'drafter@demo.local', password: 'wrong' },
      { email: 'nobody@demo.local', password: DEMO_PASSWORD },
    ]) {
      const response = await post('/api/session', body)
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({
        error: { code: 'invalid_credentials', message: 'The email or password is not right' },
      })
    }
  })

  it('answers bad input with a 400 that names the field', async () => {
    const missing = await post('/api/session', { email: 'drafter@demo.local' })
    expect(missing.status).toBe(400)
    expect((await missing.json()).error).toMatchObject({ code: 'invalid_input', field: 'password' })
    const notEmail = await post('/api/session', { email: 'not an email', password: 'x' })
    expect((await notEmail.json()).error.field).toBe('email')
    const malformed = await post('/api/session', '{"email": ')
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).error.code).toBe('invalid_json')
  })

  it('says what is wrong with a field in terms the client can translate', async () => {
    const missing = await post('/api/session', { email: 'drafter@demo.local' })
    expect(missing.status).toBe(400)
    expect((await missing.json()).error).toMatchObject({ code: 'invalid_input', field: 'password', detail: { reason: 'required' } })
    const empty = await post('/api/session', { email: 'drafter@demo.local', password: '' })
    expect((await empty.json()).error).toMatchObject({ field: 'password', detail: { reason: 'required' } })
    const tooLong = await post('/api/session', { email: 'drafter@demo.local', password: 'x'.repeat(1025) })
    expect(tooLong.status).toBe(400)
    const tooLongError = (await tooLong.json()).error
    // The English message stays as it was; the reason and the limit come beside it.
    expect(tooLongError).toMatchObject({ code: 'invalid_input', field: 'password', detail: { reason: 'too_long', limit: 1024 } })
    expect(tooLongError.message).toMatch(/^password: /)
    const notEmail = await post('/api/session', { email: 'not an email', password: 'x' })
    expect((await notEmail.json()).error).toMatchObject({ field: 'email', detail: { reason: 'invalid_format', format: 'email' } })

    const { cookie } = await server.login('drafter')
    const patch = (body: unknown): Promise<Response> =>
      fetch(`${server.url}/api/me`, { method: 'PATCH', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const unexpected = await patch({ language: 'fr', colour: 'red' })
    expect(unexpected.status).toBe(400)
    expect((await unexpected.json()).error).toMatchObject({ code: 'invalid_input', field: 'colour', detail: { reason: 'unexpected' } })
    const unknownLanguage = await patch({ language: 'xx' })
    expect((await unknownLanguage.json()).error).toMatchObject({ field: 'language', detail: { reason: 'invalid_value' } })
  })

  it('answers an oversized body with 413 and unknown routes with a JSON 404', async () => {
    const huge = await post('/api/session', { email: 'a@b.c', password: 'x'.repeat(300 * 1024) })
    expect(huge.status).toBe(413)
    const unknown = await fetch(`${server.url}/api/nothing-here`)
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error.code).toBe('not_found')
  })

  it('lists everyone who can be mentioned, to any signed-in user', async () => {
    const { cookie } = await server.login('reviewer')
    const people = await (await fetch(`${server.url}/api/people`, { headers: { cookie } })).json()
    expect(people.map((person: { name: string }) => person.name).sort()).toEqual(['Amina Haddad', 'Elif Demir', 'Lena Karlsson', 'Tomasz Nowak'])
    expect(Object.keys(people[0]).sort()).toEqual(['id', 'name', 'organisation'])
    expect((await fetch(`${server.url}/api/people`)).status).toBe(401)
  })

  it('needs a session for documents', async () => {
    expect((await fetch(`${server.url}/api/documents`)).status).toBe(401)
  })

  it('lists the demo document with its sections as DESIGN.md specifies', async () => {
    const { cookie } = await server.login('reviewer')
    const list = await (await fetch(`${server.url}/api/documents`, { headers: { cookie } })).json()
    expect(list).toEqual([{ id: expect.any(String), title: 'Movement Strategy on Migration' }])
    const document = await (await fetch(`${server.url}/api/documents/${list[0].id}`, { headers: { cookie } })).json()
    expect(document.sections.map((section: { title: string }) => section.title)).toEqual(DEMO_SECTIONS.map((s) => s.title))
    for (const section of document.sections) {
      expect(section).toEqual({
        id: expect.stringMatching(/^s-[0-9a-f]{16}$/),
        title: expect.any(String),
        status: 'drafting',
        currentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        approval: null,
        changeRequest: null,
      })
    }
    const missing = await fetch(`${server.url}/api/documents/nope`, { headers: { cookie } })
    expect(missing.status).toBe(404)
  })

  it('streams who is present in each section', async () => {
    const { cookie } = await server.login('drafter')
    const document = await server.demoDocument(cookie)
    const controller = new AbortController()
    const response = await fetch(`${server.url}/api/documents/${document.id}/events`, {
      headers: { cookie },
      signal: controller.signal,
    })
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/)
    const reader = response.body!.getReader()
    const { value } = await reader.read()
    const first = new TextDecoder().decode(value)
    expect(first).toMatch(/^event: presence\ndata: /)
    const event = JSON.parse(first.split('data: ')[1]!)
    expect(Object.keys(event.sections)).toEqual(document.sections.map((section) => section.id))
    controller.abort()
  })

  it('tells the streams of people joining together in one presence event', async () => {
    const { cookie } = await server.login('drafter')
    const document = await server.demoDocument(cookie)
    const sectionId = document.sections[3]!.id
    const controller = new AbortController()
    const response = await fetch(`${server.url}/api/documents/${document.id}/events`, { headers: { cookie }, signal: controller.signal })
    const events = sseEvents(response)
    expect((await events.next()).value).toMatchObject({ type: 'presence' })

    const people = await Promise.all(['admin', 'drafter', 'reviewer', 'approver'].map((role) => server.login(role)))
    const clients = people.map(({ cookie: each }) => connectClient(server.wsUrl, sectionId, each))
    try {
      await Promise.all(clients.map((client) => client.synced()))
      clients.shift()!.destroy()
      const left = people[0]!.user.id
      let presenceEvents = 0
      for (;;) {
        const { value } = await events.next()
        presenceEvents++
        const present = (value as DocumentEvent & { type: 'presence' }).sections[sectionId]!
        if (present.length === people.length - 1 && !present.some((person) => person.id === left)) break
      }
      // One event per arrival and departure would be five.
      expect(presenceEvents).toBeLessThanOrEqual(3)
    } finally {
      for (const client of clients) client.destroy()
      controller.abort()
    }
  })
})

/** The events of a server-sent event stream, parsed, as they arrive. */
async function* sseEvents(response: Response): AsyncGenerator<DocumentEvent> {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffered += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end)
      buffered = buffered.slice(end + 2)
      const data = block.split('\n').find((line) => line.startsWith('data: '))
      if (data) yield JSON.parse(data.slice('data: '.length)) as DocumentEvent
    }
  }
}
