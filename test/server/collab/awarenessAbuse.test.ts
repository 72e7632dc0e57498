import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../../shared/closeCodes.js'
import { Limits } from '../../../shared/limits.js'
import type { UserView } from '../../../shared/api.js'
import type { SectionRoom } from '../../../server/collab/sectionRoom.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'
import {
  awarenessMessage,
  awarenessUpdate,
  openReadyProbe,
  startWitness,
  tracesOf,
  type Probe,
  type Witness,
} from '../../helpers/collabProbe.js'

/**
 * Presence abuse: floods of awareness messages, a flood of client ids, and
 * attempts to change what others see of someone else. Presence is best
 * effort, so excess is dropped rather than answered, but no one may pose as
 * another person, and the server's awareness must stay bounded.
 */

let server: TestServer
let sectionId: string
let witness: Witness
let reviewer: { cookie: string; user: UserView }
let drafter: { cookie: string; user: UserView }
const logs: string[] = []
const closers: { destroy(): void }[] = []

const MAX_IDS_PER_CONNECTION = 4

beforeAll(async () => {
  server = await startTestServer({ config: { log: (message) => logs.push(message) } })
  drafter = await server.login('drafter')
  reviewer = await server.login('reviewer')
  sectionId = (await server.demoDocument(drafter.cookie)).sections[2]!.id
  witness = await startWitness(server, sectionId, drafter.cookie)
  witness.client.provider.awareness.setLocalStateField('cursor', { anchor: 'witness-cursor' })
  await witness.proveAlive('before presence abuse')
})

afterAll(async () => {
  for (const closer of closers) closer.destroy()
  witness?.destroy()
  await server?.close()
})

async function room(): Promise<SectionRoom> {
  const loaded = await server.server.relay.room(sectionId)
  if (!loaded) throw new Error('the section is not loaded')
  return loaded
}

async function attacker(cookie = reviewer.cookie): Promise<Probe> {
  const probe = await openReadyProbe(server, sectionId, cookie)
  closers.push({ destroy: () => probe.close() })
  return probe
}

function watcher(cookie: string): CollabClient {
  const client = connectClient(server.wsUrl, sectionId, cookie)
  closers.push(client)
  return client
}

const identityOf = (user: UserView): Record<string, string> => ({
  id: user.id,
  name: user.name,
  organisation: user.organisation,
  color: user.color,
})

const closingLines = (): string[] => logs.filter((line) => line.startsWith(`collab ${sectionId}: closing`))

describe('awareness abuse', () => {
  it('drops the excess of an awareness flood with one client id, keeps the socket and keeps presence working', async () => {
    const probe = await attacker()
    const clientId = 710_001
    const linesBefore = closingLines().length
    for (let clock = 1; clock <= 500; clock++) {
      probe.send(awarenessMessage(awarenessUpdate([{ clientId, clock, state: { n: clock, padding: 'x'.repeat(200) } }])))
    }
    // Dropped, not answered: the socket is still served.
    expect(await probe.roundTrip()).toBe(true)
    expect(closingLines().length).toBe(linesBefore)
    const loaded = await room()
    const meta = loaded.awareness.meta.get(clientId)
    expect(meta, 'the first messages of the flood were taken').toBeDefined()
    expect(meta!.clock, 'the excess of the flood was dropped').toBeLessThan(500)
    expect(loaded.awareness.getStates().size).toBeLessThanOrEqual(loaded.members.size * MAX_IDS_PER_CONNECTION)

    // Once the flood is over, the connection's presence works again.
    let clock = 10_000
    await waitFor(
      async () => {
        probe.send(awarenessMessage(awarenessUpdate([{ clientId, clock: ++clock, state: { settled: true } }])))
        await probe.roundTrip()
        return (await room()).awareness.getStates().get(clientId)?.settled === true
      },
      { message: 'the presence after the flood to be taken', interval: 100 },
    )
    const seen = await waitFor(() => witness.client.provider.awareness.getStates().get(clientId), {
      message: 'the witness to see the settled presence',
    })
    expect(seen.user).toEqual(identityOf(reviewer.user))
    probe.close()
    await probe.ended
    await waitFor(async () => !(await room()).awareness.getStates().has(clientId), { message: 'the presence to leave with its socket' })
    await witness.proveAlive('after a flood with one id')
    expect(witness.client.closes).toEqual([])
  })

  it('takes at most four client ids from a connection that announces a hundred', async () => {
    const probe = await attacker()
    const ids = Array.from({ length: 100 }, (_, i) => 720_000 + i)
    // All at once in one message …
    probe.send(awarenessMessage(awarenessUpdate(ids.map((clientId) => ({ clientId, clock: 1, state: { many: true } })))))
    expect(await probe.roundTrip()).toBe(true)
    // … and then one per message, past the rate too.
    const more = Array.from({ length: 100 }, (_, i) => 730_000 + i)
    for (const clientId of more) probe.send(awarenessMessage(awarenessUpdate([{ clientId, clock: 1, state: { many: true } }])))
    expect(await probe.roundTrip()).toBe(true)

    const loaded = await room()
    const taken = [...ids, ...more].filter((clientId) => loaded.awareness.getStates().has(clientId))
    expect(taken).toHaveLength(MAX_IDS_PER_CONNECTION)
    expect(taken).toEqual(ids.slice(0, MAX_IDS_PER_CONNECTION))
    for (const clientId of taken) expect(loaded.awareness.getStates().get(clientId)!.user).toEqual(identityOf(reviewer.user))
    expect(loaded.awareness.getStates().size).toBeLessThanOrEqual(loaded.members.size * MAX_IDS_PER_CONNECTION)
    // What others see is bounded the same way.
    await waitFor(() => taken.every((clientId) => witness.client.provider.awareness.getStates().has(clientId)), {
      message: 'the witness to see the four ids',
    })
    const reviewerStates = [...witness.client.provider.awareness.getStates().values()].filter(
      (state) => (state.user as { id?: string } | undefined)?.id === reviewer.user.id,
    )
    expect(reviewerStates).toHaveLength(MAX_IDS_PER_CONNECTION)

    probe.close()
    await probe.ended
    await waitFor(() => taken.every((clientId) => !witness.client.provider.awareness.getStates().has(clientId)), {
      message: 'the ids to leave with their socket',
    })
    await witness.proveAlive('after a flood of ids')
  })

  it('does not let a connection change or remove the presence of another client id', async () => {
    const witnessId = witness.client.doc.clientID
    const ownState = witness.client.provider.awareness.getLocalState()
    const serverState = (await room()).awareness.getStates().get(witnessId)
    expect(serverState?.cursor).toEqual({ anchor: 'witness-cursor' })
    const serverClock = (await room()).awareness.meta.get(witnessId)!.clock

    const probe = await attacker()
    const spoofed = { user: { name: 'Spoofed Name', organisation: 'Nowhere', color: '#000000' }, cursor: { anchor: 'spoofed' } }
    probe.send(awarenessMessage(awarenessUpdate([{ clientId: witnessId, clock: serverClock + 1000, state: spoofed }])))
    probe.send(awarenessMessage(awarenessUpdate([{ clientId: witnessId, clock: serverClock + 2000, state: null }])))
    expect(await probe.roundTrip()).toBe(true)

    expect((await room()).awareness.getStates().get(witnessId)).toEqual(serverState)
    expect((await room()).awareness.meta.get(witnessId)!.clock).toBe(serverClock)
    // Someone joining now sees the witness as the witness.
    const onlooker = watcher(reviewer.cookie)
    await onlooker.synced()
    const seen = await waitFor(() => onlooker.provider.awareness.getStates().get(witnessId), {
      message: "the onlooker to see the witness's presence",
    })
    expect(seen.user).toEqual(identityOf(drafter.user))
    expect(seen.cursor).toEqual({ anchor: 'witness-cursor' })
    // The witness's own state was not replaced either.
    expect(witness.client.provider.awareness.getLocalState()).toEqual(ownState)
    probe.close()
    await witness.proveAlive('after spoofing')
    expect(await tracesOf(server, sectionId, 'Spoofed Name')).toEqual([])
    expect(witness.client.closes).toEqual([])
  })

  it("names a connection's own presence after its signed-in user, whatever it claims", async () => {
    const probe = await attacker()
    const clientId = 740_001
    probe.send(
      awarenessMessage(
        awarenessUpdate([
          {
            clientId,
            clock: 1,
            state: { user: { id: drafter.user.id, name: drafter.user.name, organisation: 'Swedish Red Cross', color: drafter.user.color } },
          },
        ]),
      ),
    )
    expect(await probe.roundTrip()).toBe(true)
    const seen = await waitFor(() => witness.client.provider.awareness.getStates().get(clientId), {
      message: "the witness to see the reviewer's presence",
    })
    expect(seen.user).toEqual(identityOf(reviewer.user))
    probe.close()
  })

  it('does not let another user take over the client id of someone who left', async () => {
    const approver = await server.login('approver')
    const leaver = watcher(approver.cookie)
    // A state at clock 0 (never set) is not relayed; a real client always sets one.
    leaver.provider.awareness.setLocalStateField('cursor', null)
    await leaver.synced()
    const leaverId = leaver.doc.clientID
    await waitFor(async () => (await room()).awareness.getStates().has(leaverId), { message: "the leaver's presence" })
    leaver.destroy()
    await waitFor(async () => !(await room()).awareness.getStates().has(leaverId), { message: 'the leaver to leave' })

    const probe = await attacker()
    probe.send(awarenessMessage(awarenessUpdate([{ clientId: leaverId, clock: 99, state: { ghost: true } }])))
    expect(await probe.roundTrip()).toBe(true)
    expect((await room()).awareness.getStates().has(leaverId)).toBe(false)
    probe.close()
  })

  it('closes a connection whose awareness state is over the limit with the bad-message code, and logs it once', async () => {
    const probe = await attacker()
    const linesBefore = closingLines().length
    const state = { blob: 'a'.repeat(Limits.awarenessStateBytes) }
    probe.send(awarenessMessage(awarenessUpdate([{ clientId: 750_001, clock: 1, state }])))
    expect(await probe.ended).toMatchObject({ kind: 'closed', code: CloseCode.badMessage })
    expect(closingLines().length - linesBefore).toBe(1)
    expect((await room()).awareness.getStates().has(750_001)).toBe(false)
    await witness.proveAlive('after an oversized awareness state')
  })

  it('measures the awareness limit in bytes, so a state of many multi-byte characters is refused too', async () => {
    const probe = await attacker()
    // 4,000 '€' are 4,000 UTF-16 units but 12,000 bytes of UTF-8 on the wire.
    const state = { blob: '€'.repeat(4000) }
    expect(Buffer.byteLength(JSON.stringify(state))).toBeGreaterThan(Limits.awarenessStateBytes)
    probe.send(awarenessMessage(awarenessUpdate([{ clientId: 750_002, clock: 1, state }])))
    const answered = await probe.roundTrip()
    expect.soft((await room()).awareness.getStates().has(750_002), 'a 12 KB awareness state was taken').toBe(false)
    expect(answered ? null : probe.outcome).toMatchObject({ kind: 'closed', code: CloseCode.badMessage })
    probe.close()
  })

  it('keeps the server awareness bounded and the witness connected throughout', async () => {
    const loaded = await room()
    expect(loaded.awareness.getStates().size).toBeLessThanOrEqual(loaded.members.size * MAX_IDS_PER_CONNECTION)
    await witness.proveAlive('at the end')
    expect(witness.client.closes).toEqual([])
    expect(logs.filter((line) => line.startsWith('error:'))).toEqual([])
  })
})
