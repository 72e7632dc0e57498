import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})

afterAll(async () => {
  await server.close()
})

const patchMe = (body: unknown, cookie?: string): Promise<Response> =>
  fetch(`${server.url}/api/me`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', origin: server.url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  })

const me = async (cookie: string): Promise<Record<string, unknown>> =>
  (await (await fetch(`${server.url}/api/me`, { headers: { cookie } })).json()) as Record<string, unknown>

describe('the interface language a user chose', () => {
  it('is null until chosen, then kept with the account across a restart', async () => {
    const { cookie, user } = await server.login('reviewer')
    expect(user.language).toBeNull()

    const response = await patchMe({ language: 'ar' }, cookie)
    expect(response.status).toBe(200)
    expect(((await response.json()) as { language: string }).language).toBe('ar')
    expect((await me(cookie)).language).toBe('ar')

    server = await server.restart()
    const again = await server.login('reviewer')
    expect(again.user.language).toBe('ar')
    // Others keep their own.
    expect((await server.login('drafter')).user.language).toBeNull()
  })

  it('refuses a language Drafting Room does not ship, naming the field, and changes nothing', async () => {
    const { cookie } = await server.login('approver')
    await patchMe({ language: 'fr' }, cookie)
    for (const body of [{ language: 'de' }, { language: 7 }, {}, { language: 'fr', role: 'admin' }]) {
      const response = await patchMe(body, cookie)
      expect(response.status).toBe(400)
      const error = ((await response.json()) as { error: { field: string } }).error
      expect(error.field).toBe(Object.keys(body).find((key) => key !== 'language') ?? 'language')
    }
    const user = await me(cookie)
    expect(user.language).toBe('fr')
    expect(user.role).toBe('approver')
  })

  it('needs a session', async () => {
    expect((await patchMe({ language: 'es' })).status).toBe(401)
  })
})
