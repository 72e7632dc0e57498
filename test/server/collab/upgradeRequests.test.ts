import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../../shared/closeCodes.js'
import { MessageType } from '../../../shared/relayProtocol.js'
import type { DocumentView } from '../../../shared/api.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'
import { Opcode, rawConnect } from '../../helpers/rawWebsocket.js'
import { openProbe, startWitness, type Outcome, type Witness } from '../../helpers/collabProbe.js'

/**
 * Upgrade requests that must not open a section: room ids that try to leave
 * the data folder or reach object prototypes, an id far too long, and a
 * foreign page using a signed-in user's cookie.
 */

let server: TestServer
let document: DocumentView
let cookie: string
let witness: Witness

beforeAll(async () => {
  server = await startTestServer()
  const drafter = await server.login('drafter')
  cookie = drafter.cookie
  document = await server.demoDocument(cookie)
  witness = await startWitness(server, document.sections[4]!.id, cookie)
  await witness.proveAlive('before the upgrade requests')
})

afterAll(async () => {
  witness?.destroy()
  await server?.close()
})

/** Every path under the data folder, relative to it. */
async function tree(dir = server.dataDir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const paths: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    paths.push(relative(server.dataDir, path))
    if (entry.isDirectory()) paths.push(...(await tree(path)))
  }
  return paths.sort()
}

/** Whether a socket got to the section: the server only sends sync messages to an admitted socket. */
const wasServed = (received: Uint8Array[]): boolean => received.some((message) => message[0] === MessageType.sync)

/** A refusal: closed as an unknown section, an HTTP 4xx, or an upgrade the server would not take at all. */
function isRefusal(outcome: Outcome): boolean {
  if (outcome.kind === 'closed') return outcome.code === CloseCode.unknownSection
  if (outcome.kind === 'http') return outcome.status >= 400 && outcome.status < 500
  return true
}

const HOSTILE_IDS: [string, string][] = [
  ['../../etc/passwd', '../../etc/passwd'],
  ['%2e%2e/', '%2e%2e/'],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
  ['a 15 KiB id', 'a'.repeat(15 * 1024)],
  ['..', '..'],
  ['prototype', 'prototype'],
  ['hasOwnProperty', 'hasOwnProperty'],
  ['a section id with a path after it', 'SECTION/../x'],
  ['a section id with a NUL byte', 'SECTION%00'],
]

describe('hostile room ids', () => {
  let treeBefore: string[]
  beforeAll(async () => {
    treeBefore = await tree()
  })

  for (const [name, template] of HOSTILE_IDS) {
    const idOf = (): string => template.replace('SECTION', document.sections[0]!.id)

    it(`refuses ${name}, URL-encoded as a client would, with ${CloseCode.unknownSection}`, async () => {
      const encoded = encodeURIComponent(idOf())
      const probe = openProbe(server.wsUrl, encoded, { cookie })
      const outcome = await probe.ended
      expect(wasServed(probe.received)).toBe(false)
      // encodeURIComponent keeps dots, so `..` is still a dot segment the URL resolves away from /collab/.
      if (new URL(`${server.wsUrl}/${encoded}`).pathname.startsWith('/collab/')) {
        expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.unknownSection })
      } else {
        expect(isRefusal(outcome), JSON.stringify(outcome)).toBe(true)
      }
    })

    it(`refuses ${name} as a raw string in a ws URL`, async () => {
      // `ws` resolves `..` and `%2e%2e` segments itself, so some of these never reach /collab/.
      const probe = openProbe(server.wsUrl, idOf(), { cookie })
      const outcome = await probe.ended
      expect(wasServed(probe.received)).toBe(false)
      expect(isRefusal(outcome), JSON.stringify(outcome)).toBe(true)
    })

    it(`refuses ${name} sent literally in the request line`, async () => {
      const raw = await rawConnect(server.url, `/collab/${idOf()}`, { Cookie: cookie })
      const close = await raw.closed
      const served = raw.frames.some((frame) => frame.opcode === Opcode.binary && frame.payload[0] === MessageType.sync)
      expect(served).toBe(false)
      if (raw.status === 101) expect(close.code).toBe(CloseCode.unknownSection)
      else expect(raw.status === 0 || (raw.status >= 400 && raw.status < 500), raw.responseHead).toBe(true)
    })
  }

  it('created no file or folder for any of them, inside or outside the data folder', async () => {
    const sectionIds = new Set(document.sections.map((section) => section.id))
    const added = (await tree()).filter((path) => !treeBefore.includes(path))
    for (const path of added) {
      const [top, id] = path.split('/')
      expect(top, `unexpected new path ${path}`).toBe('sections')
      expect(sectionIds.has(id!), `unexpected new path ${path}`).toBe(true)
    }
    const sections = await readdir(join(server.dataDir, 'sections'))
    for (const name of sections) expect(sectionIds.has(name), `unexpected sections/${name}`).toBe(true)
    // `sections/../../etc/passwd` would be beside the data folder.
    expect(existsSync(join(dirname(server.dataDir), 'etc'))).toBe(false)
    expect(server.server.relay.loadedSections().every((id) => sectionIds.has(id))).toBe(true)
    await witness.proveAlive('after the hostile ids')
  })
})

describe('a foreign Origin with a valid cookie', () => {
  const sectionOf = (): string => document.sections[4]!.id

  for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:1', 'http://127.0.0.1.evil.example']) {
    it(`refuses the upgrade from Origin ${origin} with HTTP 403`, async () => {
      const probe = openProbe(server.wsUrl, sectionOf(), { cookie, origin })
      expect(await probe.ended).toEqual({ kind: 'http', status: 403 })
      expect(probe.received).toEqual([])
      const raw = await rawConnect(server.url, `/collab/${sectionOf()}`, { Cookie: cookie, Origin: origin })
      await raw.closed
      expect(raw.status).toBe(403)
      expect(raw.frames).toEqual([])
    })
  }

  it('never lets a provider from a foreign page sync', async () => {
    const foreign = connectClient(server.wsUrl, sectionOf(), cookie, { headers: { origin: 'https://evil.example' } })
    let errors = 0
    foreign.provider.on('connection-error', () => errors++)
    try {
      await waitFor(() => errors >= 2, { message: 'the provider to be refused twice' })
      expect(foreign.provider.synced).toBe(false)
      expect(foreign.access).toBeNull()
      expect(foreign.text()).toBe('')
    } finally {
      foreign.destroy()
    }
  })

  it('serves the same request from its own origin', async () => {
    const probe = openProbe(server.wsUrl, sectionOf(), { cookie, origin: server.url })
    expect(await probe.waitForMessage((message) => message[0] === MessageType.sync)).toBe(true)
    probe.close()
    await witness.proveAlive('after the foreign origins')
    expect(witness.client.closes).toEqual([])
  })
})
