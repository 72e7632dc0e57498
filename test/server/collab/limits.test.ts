import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../../shared/closeCodes.js'
import { Limits } from '../../../shared/limits.js'
import type { DocumentView } from '../../../shared/api.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'
import {
  appendParagraphUpdate,
  docLikeServer,
  openProbe,
  openReadyProbe,
  startWitness,
  storedXml,
  syncUpdateMessage,
  tracesOf,
  type Probe,
  type Witness,
} from '../../helpers/collabProbe.js'

/**
 * The relay's quantitative limits: the section size cap, the update rate and
 * the number of connections per user. Each is answered with its documented
 * close code, keeps nothing it refused, and leaves others editing.
 */

let server: TestServer
let document: DocumentView
let sectionId: string
let attackerCookie: string
let witness: Witness
const logs: string[] = []
const closers: { destroy(): void }[] = []

beforeAll(async () => {
  server = await startTestServer({
    config: {
      log: (message) => logs.push(message),
      connectionCaps: { perUser: Limits.connectionsPerUser, perAddress: Limits.connectionsPerAddress },
    },
  })
  const drafter = await server.login('drafter')
  attackerCookie = (await server.login('drafter')).cookie
  document = await server.demoDocument(drafter.cookie)
  sectionId = document.sections[3]!.id
  witness = await startWitness(server, sectionId, drafter.cookie)
  await witness.proveAlive('before the limits')
})

afterAll(async () => {
  for (const closer of closers) closer.destroy()
  witness?.destroy()
  await server?.close()
})

function track<T extends { destroy(): void } | Probe>(item: T): T {
  closers.push('destroy' in item ? item : { destroy: () => item.close() })
  return item
}

const sizeLimitText = `${Limits.sectionBytes / 1024 / 1024} MB`

describe('the section size cap', () => {
  it('closes an update a little over the cap with 4413, names the limit, and keeps none of it', async () => {
    const marker = `oversized-${Math.random().toString(36).slice(2)}`
    const doc = await docLikeServer(server, sectionId, 5_000_001)
    const filler = 'x'.repeat(Limits.sectionBytes + 1024)
    const update = appendParagraphUpdate(doc, `${marker}${filler}${marker}`)
    doc.destroy()
    const message = syncUpdateMessage(update)
    expect(update.length).toBeGreaterThan(Limits.sectionBytes)
    expect(message.length).toBeLessThan(Limits.websocketPayloadBytes)

    const before = (await server.server.relay.room(sectionId))!.approximateBytes
    const probe = track(await openReadyProbe(server, sectionId, attackerCookie))
    probe.send(message)
    const outcome = await probe.ended
    expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.tooLarge })
    expect(outcome.kind === 'closed' && outcome.reason).toContain(sizeLimitText)
    expect((await server.server.relay.room(sectionId))!.approximateBytes).toBe(before)
    await witness.proveAlive('after the oversized update')
    expect(await tracesOf(server, sectionId, marker)).toEqual([])
    expect(witness.client.closes).toEqual([])
  })

  it('stops a real client at the cap too: the provider gets 4413 and stops reconnecting', async () => {
    const writer = track(connectClient(server.wsUrl, sectionId, attackerCookie))
    await writer.synced()
    const marker = `provider-oversized-${Math.random().toString(36).slice(2)}`
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText(marker + 'y'.repeat(Limits.sectionBytes))])
    writer.fragment.push([paragraph])
    await waitFor(() => writer.closes.length > 0, { message: 'the close' })
    expect(writer.closes[0]!.code).toBe(CloseCode.tooLarge)
    expect(writer.closes[0]!.reason).toContain(sizeLimitText)
    expect(writer.provider.shouldConnect).toBe(false)
    await witness.proveAlive('after the provider over the cap')
    expect(await tracesOf(server, sectionId, marker)).toEqual([])
  })

  it('counts what a section already holds: the update that would cross the cap is refused, those before are kept', async () => {
    // A section of its own, since it ends up full.
    const fullSection = document.sections[6]!.id
    const chunk = Math.floor(Limits.sectionBytes / 6)
    const probe = track(await openReadyProbe(server, fullSection, attackerCookie))
    const doc = await docLikeServer(server, fullSection, 5_000_002)
    const kept: string[] = []
    let outcome = null
    for (let i = 0; i < 8 && !outcome; i++) {
      const marker = `chunk-${i}-${Math.random().toString(36).slice(2)}`
      probe.send(syncUpdateMessage(appendParagraphUpdate(doc, marker + 'z'.repeat(chunk))))
      if (await probe.roundTrip()) kept.push(marker)
      else outcome = { ...probe.outcome!, marker }
    }
    doc.destroy()
    expect(kept.length).toBeGreaterThanOrEqual(5)
    expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.tooLarge })
    const room = (await server.server.relay.room(fullSection))!
    expect(room.approximateBytes).toBeLessThanOrEqual(Limits.sectionBytes)
    await room.whenIdle()
    const stored = await storedXml(server, fullSection)
    for (const marker of kept) expect(stored).toContain(marker)
    expect(await tracesOf(server, fullSection, outcome!.marker)).toEqual([])
    probe.close()
    await witness.proveAlive('after filling another section')
  })
})

describe('the update rate', () => {
  it('closes a client typing faster than the rate with 1013; it reconnects by itself and every edit arrives', async () => {
    const typist = track(connectClient(server.wsUrl, sectionId, attackerCookie))
    await typist.synced()
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText('rate:')
    paragraph.insert(0, [text])
    typist.fragment.push([paragraph])
    const edits = 3 * Limits.updateBurst
    let typed = 'rate:'
    // One transaction, so one message, per character, all in one synchronous run.
    for (let i = 0; i < edits; i++) {
      const character = String.fromCharCode(97 + (i % 26))
      text.insert(text.length, character)
      typed += character
    }
    await waitFor(() => typist.closes.length > 0, { message: 'the rate limit to close the typist' })
    expect(typist.closes[0]).toEqual({ code: CloseCode.tryAgainLater, reason: 'Too many updates at once; reconnecting' })
    // The provider resyncs on its own and the server ends up with every character.
    await typist.synced()
    await typist.saved()
    expect(await storedXml(server, sectionId)).toContain(`<paragraph>${typed}</paragraph>`)
    await waitFor(() => witness.client.text().includes(typed), { message: 'the witness to receive every character' })
    await witness.proveAlive('after the fast typist')
    expect(witness.client.closes).toEqual([])
  })
})

describe('connections per user', () => {
  it(`closes a user's connection beyond ${Limits.connectionsPerUser} with 1013 and lets others in`, async () => {
    const approver = await server.login('approver')
    const probes: Probe[] = []
    for (let i = 0; i < Limits.connectionsPerUser; i++) probes.push(track(await openReadyProbe(server, sectionId, approver.cookie)))
    const extra = track(openProbe(server.wsUrl, sectionId, { cookie: approver.cookie }))
    expect(await extra.ended).toMatchObject({ kind: 'closed', code: CloseCode.tryAgainLater })
    // Another user is not affected.
    await witness.proveAlive('with a user at the connection cap')
    probes[0]!.close()
    await probes[0]!.ended
    await waitFor(
      async () => {
        const again = openProbe(server.wsUrl, sectionId, { cookie: approver.cookie })
        const served = await again.waitForMessage((message) => message[0] === 0)
        again.close()
        return served
      },
      { message: 'a connection to be allowed again once one closed' },
    )
    for (const probe of probes) probe.close()
  })

  it('never logged a server error', () => {
    expect(logs.filter((line) => line.startsWith('error:'))).toEqual([])
  })
})
