import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { anchorInText, textNodesOf } from '../../shared/anchors.js'
import type { SectionStatus } from '../../shared/roles.js'
import { startTestServer, type TestServer } from '../helpers/testServer.js'
import { connectClient } from '../helpers/collabClient.js'
import { waitFor } from '../helpers/waitFor.js'

/**
 * Every role × every action, over HTTP and the websocket, against the roles
 * table of DESIGN.md written out here independently of `shared/roles.ts`.
 */
const ROLES = ['drafter', 'reviewer', 'approver', 'admin'] as const
type Role = (typeof ROLES)[number]

const ALLOWED: Record<string, Role[]> = {
  'edit text': ['drafter'],
  comment: ['drafter', 'reviewer', 'approver'],
  'suggest a replacement': ['reviewer'],
  submit: ['drafter'],
  approve: ['approver'],
  'request changes': ['approver'],
  reopen: ['approver'],
  'manage users': ['admin'],
  'manage sections': ['admin'],
  'read the audit log': ['admin'],
}

let server: TestServer
const cookies = {} as Record<Role, string>
let sectionIds: string[]

beforeAll(async () => {
  server = await startTestServer()
  for (const role of ROLES) cookies[role] = (await server.login(role)).cookie
  sectionIds = (await server.demoDocument(cookies.drafter)).sections.map((section) => section.id)
})

afterAll(async () => {
  await server.close()
})

function setStatus(sectionId: string, status: SectionStatus): void {
  const section = server.server.db.data.sections.find((candidate) => candidate.id === sectionId)!
  section.status = status
  section.approval = null
}

async function call(role: Role, method: string, path: string, body?: unknown): Promise<number> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: cookies[role], 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  await response.body?.cancel()
  return response.status
}

/** Tries an action as `role`; returns whether it was done. */
const ACTIONS: Record<string, (role: Role) => Promise<boolean>> = {
  'edit text': async (role) => {
    const sectionId = sectionIds[0]!
    const client = connectClient(server.wsUrl, sectionId, cookies[role])
    try {
      await client.synced()
      await waitFor(() => client.access, { message: 'the access notice' })
      const before = (await server.server.store.load(sectionId))!
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(`edit by ${role}`)])
      client.fragment.push([paragraph])
      if (client.access!.access === 'write') {
        await client.saved()
      } else {
        // The server answers a dropped update with the access notice again.
        await new Promise((resolve) => setTimeout(resolve, 300))
      }
      const after = (await server.server.store.load(sectionId))!
      const changed = Buffer.compare(Buffer.from(before), Buffer.from(after)) !== 0
      expect(changed, `the stored state changed exactly when ${role} was told it may write`).toBe(
        client.access!.access === 'write',
      )
      return changed
    } finally {
      client.destroy()
    }
  },
  comment: async (role) => {
    const sectionId = sectionIds[5]!
    const threads = await call(role, 'POST', `/api/sections/${sectionId}/threads`, await threadBody(sectionId, `Comment by ${role}`))
    return expectStatus(threads)
  },
  'suggest a replacement': async (role) => {
    const sectionId = sectionIds[5]!
    const body = { ...(await threadBody(sectionId, `Suggestion by ${role}`)), suggestion: 'National Societies' }
    return expectStatus(await call(role, 'POST', `/api/sections/${sectionId}/threads`, body))
  },
  submit: async (role) => {
    setStatus(sectionIds[1]!, 'drafting')
    return expectStatus(await call(role, 'POST', `/api/sections/${sectionIds[1]}/submit`))
  },
  approve: async (role) => {
    setStatus(sectionIds[2]!, 'in_review')
    return expectStatus(await call(role, 'POST', `/api/sections/${sectionIds[2]}/approve`))
  },
  'request changes': async (role) => {
    setStatus(sectionIds[3]!, 'in_review')
    return expectStatus(await call(role, 'POST', `/api/sections/${sectionIds[3]}/request-changes`, { note: 'Please cite the Almaty commitments.' }))
  },
  reopen: async (role) => {
    setStatus(sectionIds[4]!, 'approved')
    return expectStatus(await call(role, 'POST', `/api/sections/${sectionIds[4]}/reopen`, { reason: 'New input from break-out session 2.' }))
  },
  'manage users': async (role) => {
    const list = await call(role, 'GET', '/api/users')
    const reviewerId = (await server.login('reviewer')).user.id
    const change = await call(role, 'PATCH', `/api/users/${reviewerId}`, { organisation: 'Polish Red Cross' })
    expect(list === 200, 'listing and changing users are allowed together').toBe(change === 200)
    return expectStatus(list)
  },
  'manage sections': async (role) => {
    const documentId = server.server.db.data.documents[0]!.id
    return expectStatus(await call(role, 'POST', `/api/documents/${documentId}/sections`, { title: `Annex by ${role}` }))
  },
  'read the audit log': async (role) => expectStatus(await call(role, 'GET', '/api/audit')),
}

/** A thread body anchored on the first word of the section's text. */
async function threadBody(sectionId: string, body: string): Promise<Record<string, unknown>> {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, (await server.server.store.load(sectionId))!)
  const text = textNodesOf(doc.getXmlFragment('prosemirror'))[0]!
  return { anchor: anchorInText(text, 0, 8), body }
}

/** An allowed call succeeds (2xx); a forbidden one is exactly 403, never a 500. */
function expectStatus(status: number): boolean {
  expect([200, 201, 204, 403]).toContain(status)
  return status !== 403
}

describe('roles are enforced on the server', () => {
  for (const [action, allowed] of Object.entries(ALLOWED)) {
    for (const role of ROLES) {
      const may = allowed.includes(role)
      it(`${role} ${may ? 'may' : 'may not'} ${action}`, async () => {
        expect(await ACTIONS[action]!(role)).toBe(may)
      })
    }
  }
})
