import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../../shared/closeCodes.js'
import type { AdminUserView, InviteCreatedView } from '../../../shared/api.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'

let server: TestServer
let admin: string

beforeAll(async () => {
  server = await startTestServer()
  admin = (await server.login('admin')).cookie
})

afterAll(async () => {
  await server.close()
})

function request(method: string, path: string, cookie: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

describe('user administration', () => {
  it('invites a user who sets a password through a one-time link', async () => {
    const created = await request('POST', '/api/users', admin, {
      email: 'Delegate@Example.org',
      name: 'Hana Ali',
      organisation: 'Egyptian Red Crescent',
      role: 'reviewer',
    })
    expect(created.status).toBe(201)
    const { user, invitePath, expiresAt } = (await created.json()) as InviteCreatedView
    expect(user).toMatchObject({ email: 'delegate@example.org', role: 'reviewer', invitePending: true, active: true })
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now())
    const token = invitePath.split('/').pop()!

    // No password yet: signing in fails like any wrong password.
    const early = await request('POST', '/api/session', null, { email: 'delegate@example.org', password: '' })
    expect(early.status).toBe(400)

    expect(await (await request('GET', `/api/invites/${token}`, null)).json()).toEqual({
      email: 'delegate@example.org',
      name: 'Hana Ali',
      organisation: 'Egyptian Red Crescent',
      role: 'reviewer',
    })
    const short = await request('POST', `/api/invites/${token}`, null, { password: 'short' })
    expect(short.status).toBe(400)
    expect((await short.json()).error.field).toBe('password')
    const accepted = await request('POST', `/api/invites/${token}`, null, { password: 'a long enough password' })
    expect(accepted.status).toBe(200)
    const cookie = accepted.headers.get('set-cookie')!.split(';')[0]!
    expect((await (await request('GET', '/api/me', cookie)).json()).email).toBe('delegate@example.org')

    const reused = await request('POST', `/api/invites/${token}`, null, { password: 'another long password' })
    expect(reused.status).toBe(410)
    const login = await request('POST', '/api/session', null, { email: 'delegate@example.org', password: 'a long enough password' })
    expect(login.status).toBe(200)

    const duplicate = await request('POST', '/api/users', admin, { email: 'delegate@example.org', name: 'X', organisation: 'Y', role: 'drafter' })
    expect(duplicate.status).toBe(409)
  })

  it('deactivating a user closes their socket within a second and ends their session', async () => {
    const reviewer = await server.login('reviewer')
    const sectionId = (await server.demoDocument(admin)).sections[0]!.id
    const client = connectClient(server.wsUrl, sectionId, reviewer.cookie)
    await client.synced()
    const started = Date.now()
    const response = await request('PATCH', `/api/users/${reviewer.user.id}`, admin, { active: false })
    expect(response.status).toBe(200)
    expect(((await response.json()) as AdminUserView).active).toBe(false)
    await waitFor(() => client.closes.length > 0, { timeout: 1000, message: 'the socket to close' })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(client.closes[0]!.code).toBe(CloseCode.unauthorized)
    expect((await request('GET', '/api/me', reviewer.cookie)).status).toBe(401)
    expect((await request('POST', '/api/session', null, { email: 'reviewer@demo.local', password: 'test-demo-password' })).status).toBe(401)
    client.destroy()

    await request('PATCH', `/api/users/${reviewer.user.id}`, admin, { active: true })
    expect((await request('POST', '/api/session', null, { email: 'reviewer@demo.local', password: 'test-demo-password' })).status).toBe(200)
  })

  it('changing a role switches open sockets between writing and reading at once', async () => {
    const drafter = await server.login('drafter')
    const sectionId = (await server.demoDocument(admin)).sections[1]!.id
    const client = connectClient(server.wsUrl, sectionId, drafter.cookie)
    await client.synced()
    await waitFor(() => client.access?.access === 'write', { message: 'write access' })
    await request('PATCH', `/api/users/${drafter.user.id}`, admin, { role: 'reviewer' })
    await waitFor(() => client.access?.access === 'read', { message: 'read access' })
    await request('PATCH', `/api/users/${drafter.user.id}`, admin, { role: 'drafter' })
    await waitFor(() => client.access?.access === 'write', { message: 'write access again' })
    client.destroy()
  })

  it('does not let an admin lock themselves out', async () => {
    const me = (await (await request('GET', '/api/me', admin)).json()) as { id: string }
    expect((await request('PATCH', `/api/users/${me.id}`, admin, { active: false })).status).toBe(409)
    expect((await request('PATCH', `/api/users/${me.id}`, admin, { role: 'drafter' })).status).toBe(409)
  })

  it('names the field of a bad change and refuses unknown fields', async () => {
    const reviewer = await server.login('reviewer')
    const bad = await request('PATCH', `/api/users/${reviewer.user.id}`, admin, { role: 'emperor' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.field).toBe('role')
    const unknown = await request('PATCH', `/api/users/${reviewer.user.id}`, admin, { passwordHash: 'x' })
    expect(unknown.status).toBe(400)
  })
})

describe('section structure', () => {
  it('adds, renames, reorders, deletes and restores sections, keeping the deleted text', async () => {
    const document = await server.demoDocument(admin)
    const added = await request('POST', `/api/documents/${document.id}/sections`, admin, { title: 'Annex: glossary', position: 1 })
    expect(added.status).toBe(201)
    const annex = await added.json()
    let sections = (await server.demoDocument(admin)).sections
    expect(sections[1]!.title).toBe('Annex: glossary')

    expect((await request('PATCH', `/api/sections/${annex.id}`, admin, { title: 'Glossary' })).status).toBe(200)
    const reversed = sections.map((section) => section.id).reverse()
    expect((await request('PUT', `/api/documents/${document.id}/section-order`, admin, { sectionIds: reversed })).status).toBe(200)
    sections = (await server.demoDocument(admin)).sections
    expect(sections.map((section) => section.id)).toEqual(reversed)
    const partial = await request('PUT', `/api/documents/${document.id}/section-order`, admin, { sectionIds: reversed.slice(1) })
    expect(partial.status).toBe(400)

    const drafter = (await server.login('drafter')).cookie
    const client = connectClient(server.wsUrl, annex.id, drafter)
    await client.synced()
    expect((await request('DELETE', `/api/sections/${annex.id}`, admin)).status).toBe(204)
    await waitFor(() => client.closes.length > 0, { message: 'the socket of the deleted section to close' })
    expect(client.closes[0]).toEqual({ code: CloseCode.unknownSection, reason: 'This section was deleted' })
    client.destroy()
    expect((await server.demoDocument(admin)).sections.map((section) => section.id)).not.toContain(annex.id)
    const deleted = await (await request('GET', `/api/documents/${document.id}/deleted-sections`, admin)).json()
    expect(deleted).toEqual([{ id: annex.id, title: 'Glossary', deletedAt: expect.any(String) }])
    expect(await server.server.store.load(annex.id)).not.toBeNull()

    expect((await request('POST', `/api/sections/${annex.id}/restore`, admin)).status).toBe(200)
    sections = (await server.demoDocument(admin)).sections
    expect(sections.at(-1)!.id).toBe(annex.id)
  })
})

describe('web security', () => {
  it('refuses state-changing requests and sockets from a foreign origin', async () => {
    const drafter = (await server.login('drafter')).cookie
    const sectionId = (await server.demoDocument(drafter)).sections[0]!.id
    const foreign = await request('POST', `/api/sections/${sectionId}/submit`, drafter, {}, { origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect((await foreign.json()).error.code).toBe('foreign_origin')
    const own = await request('POST', '/api/session', null, { email: 'nobody@demo.local', password: 'x' }, { origin: server.url })
    expect(own.status).toBe(401)

    const socket = connectClient(server.wsUrl, sectionId, drafter, { headers: { origin: 'https://evil.example' } })
    await waitFor(() => socket.provider.wsUnsuccessfulReconnects > 0, { message: 'the refused upgrade' })
    expect(socket.provider.synced).toBe(false)
    socket.destroy()
  })

  it('throttles repeated failed sign-ins to one account', async () => {
    const attempt = () => request('POST', '/api/session', null, { email: 'approver@demo.local', password: 'guess' })
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) statuses.push((await attempt()).status)
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true)
    const throttled = await attempt()
    expect(throttled.status).toBe(429)
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0)
    const audit = await (await request('GET', '/api/audit?action=login_failed&limit=5', admin)).json()
    expect(audit).toHaveLength(5)
    expect(audit[0]).toMatchObject({ action: 'login_failed', actor: 'Elif Demir', details: 'wrong password' })
  })

  it('sends security headers', async () => {
    const response = await fetch(`${server.url}/healthz`)
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
