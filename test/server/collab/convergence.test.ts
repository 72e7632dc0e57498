import { randomInt } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import type { PRNG } from 'lib0/prng'
import type { Node as PMNode } from 'prosemirror-model'
import { EditorState, type Plugin, type PluginView, type Transaction } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { ySyncPlugin, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { isPermanentClose } from '../../../shared/closeCodes.js'
import { schema, type SectionJSON } from '../../../shared/schema.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, docJSON, type CollabClient } from '../../helpers/collabClient.js'
import { randomEdit } from '../../helpers/randomEdits.js'
import { waitFor } from '../../helpers/waitFor.js'

// Issue 2: several editors through the real relay make random schema-valid
// edits and go offline at random; in the end every editor, every Y.Doc and
// the server's store hold the same document. The seed is in each test's name;
// replay a failure with
//   FUZZ_SEED=<seed> npx vitest run test/server/collab/convergence.test.ts
// Edits are chosen by the seed, but the network still interleaves them in
// real time, so a replay takes the same steps, not always the same timing.

const CLIENTS = 4
const ROUNDS = 300
const SEEDS = fuzzSeeds(3)

/**
 * A ProseMirror editor without a DOM. It runs y-prosemirror's real
 * `ySyncPlugin` behind a stand-in for `EditorView`, so local edits reach Yjs
 * (`updateYFragment` with the binding's mapping) and remote changes reach
 * ProseMirror exactly as they do in the browser.
 */
class HeadlessEditor {
  state: EditorState
  // Null while the plugin's view is being created: like `EditorView`, the
  // editor updates only the plugin views that exist when it dispatches.
  private syncView: PluginView | null = null

  constructor(fragment: Y.XmlFragment) {
    const plugin = ySyncPlugin(fragment) as Plugin
    this.state = EditorState.create({ schema, plugins: [plugin] })
    this.syncView = plugin.spec.view!(this.asView())
  }

  /** Applies `tr` and tells the plugin, as `EditorView.dispatch` would. */
  dispatch(tr: Transaction): void {
    const previous = this.state
    this.state = this.state.apply(tr)
    this.syncView?.update?.(this.asView(), previous)
  }

  // The binding asks whether the editor has focus before scrolling to the caret.
  hasFocus(): boolean {
    return false
  }

  destroy(): void {
    this.syncView?.destroy?.()
    this.syncView = null
  }

  private asView(): EditorView {
    return this as unknown as EditorView
  }
}

/** One delegate: a real y-websocket client with an editor on it. */
interface Peer {
  name: string
  client: CollabClient
  editor: HeadlessEditor
  /** The round at which a peer that went offline comes back, or null while online. */
  offlineUntil: number | null
}

/** What a test started, so that `afterEach` stops it whatever happened. */
const running: { server: TestServer | null; peers: Peer[]; clients: CollabClient[] } = { server: null, peers: [], clients: [] }

afterEach(async () => {
  closeAll()
  await running.server?.close()
  running.server = null
})

describe('convergence through the relay', () => {
  it.each(SEEDS)(
    `${CLIENTS} editors converge after ${ROUNDS} random edits, disconnects and a restart (FUZZ_SEED=%i)`,
    async (seed) => {
      const log: string[] = []
      try {
        await fuzz(seed, log)
      } catch (error) {
        console.log(
          `Convergence failed. Replay with FUZZ_SEED=${seed} npx vitest run test/server/collab/convergence.test.ts\n` +
            `Last steps:\n  ${log.slice(-50).join('\n  ')}`,
        )
        throw error
      }
    },
  )

  // The smallest case the fuzzing found. When B's deletion reaches the
  // server, Yjs removes A's underline marks, which now enclose no text, from
  // the section's Y.Doc in a transaction of its own with a null origin; the
  // relay must store and relay that change like any other, not treat its
  // origin as a connection.
  it('converges when one editor underlines a word that another deletes offline', async () => {
    const { server, sectionId } = await startSection()
    const [a, b, c] = (await openPeers(server, sectionId, 3)) as [Peer, Peer, Peer]
    b.client.provider.disconnect()
    a.editor.dispatch(a.editor.state.tr.addMark(1, 5, schema.marks.underline.create()))
    await a.client.saved()
    b.editor.dispatch(b.editor.state.tr.delete(1, 5))
    b.client.provider.connect()
    await waitFor(
      async () => {
        const room = await server.server.relay.room(sectionId)
        return room !== null && Y.snapshotContainsUpdate(Y.snapshot(room.doc), Y.encodeStateAsUpdate(b.client.doc))
      },
      { message: "the server to apply B's deletion" },
    )
    a.editor.dispatch(a.editor.state.tr.insertText('Later, ', 1))

    await expectConverged(server, sectionId, [a, b, c], 'underline and delete')
    expect(a.editor.state.doc.textContent).toMatch(/^Later, /)
  })
})

async function fuzz(seed: number, log: string[]): Promise<void> {
  const gen = prng.create(seed)
  const note = `FUZZ_SEED=${seed}`
  const { server, sectionId } = await startSection()
  const peers = await openPeers(server, sectionId, CLIENTS)

  for (let round = 0; round < ROUNDS; round++) {
    for (const peer of peers) {
      if (peer.offlineUntil !== null && peer.offlineUntil <= round) {
        peer.offlineUntil = null
        peer.client.provider.connect()
        log.push(`${round} ${peer.name} reconnects`)
      }
    }
    const peer = prng.oneOf(gen, peers)
    const roll = prng.real53(gen)
    if (roll < 0.05 && peer.offlineUntil === null) {
      peer.offlineUntil = round + prng.int32(gen, 5, 40)
      peer.client.provider.disconnect()
      log.push(`${round} ${peer.name} goes offline until round ${peer.offlineUntil}`)
    } else if (roll < 0.07 && peer.offlineUntil === null) {
      // The connection drops under the client, which reconnects by itself.
      peer.client.provider.ws?.close()
      log.push(`${round} ${peer.name} loses its connection`)
    }

    const before = peer.editor.state.doc
    const edit = randomEdit(peer.editor.state, gen)
    if (edit) {
      log.push(`${round} ${peer.name}: ${edit.description}`)
      // A merge of concurrent edits may already have left the document
      // invalid; that is caught at the end, not blamed on this edit.
      if (schemaError(before) === null) {
        expect(schemaError(edit.tr.doc), `${peer.name}'s edit "${edit.description}" (${note})`).toBeNull()
      }
      peer.editor.dispatch(edit.tr)
      expect(
        docJSON(peer.client.doc),
        `${peer.name}'s Y.Doc right after "${edit.description}" (${note})`,
      ).toEqual(peer.editor.state.doc.toJSON())
    }
    await interleave(gen)
  }

  log.push('everyone reconnects')
  const expected = await expectConverged(server, sectionId, peers, note).catch((error: unknown) => {
    log.push(...peers.map(describePeer))
    throw error
  })

  closeAll()
  const restarted = await running.server!.restart()
  running.server = restarted
  const reader = connectClient(restarted.wsUrl, sectionId, (await restarted.login('drafter')).cookie)
  running.clients.push(reader)
  await reader.synced()
  expect(reader.json(), `a client after the restart (${note})`).toEqual(expected)
}

/**
 * Reconnects everyone, waits until every client holds the server's Yjs state
 * and the server has stored it, then checks that every editor, every Y.Doc
 * and the store hold one schema-valid document, and returns it.
 */
async function expectConverged(server: TestServer, sectionId: string, peers: Peer[], note: string): Promise<SectionJSON> {
  const expectNeverRefused = (): void => {
    for (const peer of peers) {
      expect(
        peer.client.closes.filter((close) => isPermanentClose(close.code)),
        `${peer.name} must never be refused by the server (${note})`,
      ).toEqual([])
    }
  }
  expectNeverRefused()
  for (const peer of peers) {
    peer.offlineUntil = null
    if (!peer.client.provider.shouldConnect) peer.client.provider.connect()
  }
  await waitFor(
    async () => {
      const room = await server.server.relay.room(sectionId)
      if (!room || !peers.every((peer) => peer.client.provider.synced)) return false
      // Snapshots compare deletions too, which state vectors do not.
      const state = Y.snapshot(room.doc)
      return peers.every((peer) => Y.equalSnapshots(Y.snapshot(peer.client.doc), state))
    },
    { message: `every client to hold the server's Yjs state (${note})` },
  ).catch((error: unknown) => {
    // A client refused while catching up explains the wait better than the timeout.
    expectNeverRefused()
    throw error
  })
  expectNeverRefused()
  await Promise.all(peers.map((peer) => peer.client.saved()))
  // `saved()` compares state vectors, which a deletion does not advance: wait
  // for the room's store queue itself, which holds every update it applied.
  await (await server.server.relay.room(sectionId))?.whenIdle()

  const expected = peers[0]!.editor.state.doc.toJSON()
  expect(schemaError(schema.nodeFromJSON(expected)), `the converged document (${note})`).toBeNull()
  for (const peer of peers) {
    expect(peer.editor.state.doc.toJSON(), `${peer.name}'s editor (${note})`).toEqual(expected)
    expect(peer.client.json(), `${peer.name}'s Y.Doc (${note})`).toEqual(expected)
  }
  expect(await storedJSON(server, sectionId), `the stored section (${note})`).toEqual(expected)
  return expected
}

/** A fresh server and the first section of its demo document. */
async function startSection(): Promise<{ server: TestServer; sectionId: string }> {
  const server = await startTestServer()
  running.server = server
  const document = await server.demoDocument((await server.login('drafter')).cookie)
  return { server, sectionId: document.sections[0]!.id }
}

async function openPeers(server: TestServer, sectionId: string, count: number): Promise<Peer[]> {
  for (let i = 0; i < count; i++) {
    // Each editor is its own session of a drafter, as delegates of one team would be.
    const client = connectClient(server.wsUrl, sectionId, (await server.login('drafter')).cookie)
    running.clients.push(client)
    await client.synced()
    running.peers.push({ name: `client ${i}`, client, editor: new HeadlessEditor(client.fragment), offlineUntil: null })
  }
  return [...running.peers]
}

function closeAll(): void {
  for (const peer of running.peers) peer.editor.destroy()
  for (const client of running.clients) client.destroy()
  running.peers = []
  running.clients = []
}

/** Lets the relay's messages interleave with the edits: sometimes not at all, sometimes a turn, sometimes a few ms. */
async function interleave(gen: PRNG): Promise<void> {
  const roll = prng.real53(gen)
  if (roll < 0.4) return
  if (roll < 0.9) await new Promise((resolve) => setImmediate(resolve))
  else await new Promise((resolve) => setTimeout(resolve, prng.int32(gen, 1, 8)))
}

async function storedJSON(server: TestServer, sectionId: string): Promise<SectionJSON> {
  const stored = new Y.Doc()
  Y.applyUpdate(stored, (await server.server.store.load(sectionId))!)
  return yXmlFragmentToProseMirrorRootNode(stored.getXmlFragment('prosemirror'), schema).toJSON()
}

/** Why `doc` breaks the schema, or null if it does not. */
function schemaError(doc: PMNode): string | null {
  try {
    doc.check()
    return null
  } catch (error) {
    return `${(error as Error).message} in ${JSON.stringify(doc.toJSON())}`
  }
}

function describePeer(peer: Peer): string {
  const { provider, doc, closes } = peer.client
  const stateVector = JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))])
  return `${peer.name} (client id ${doc.clientID}): connected ${provider.wsconnected}, synced ${provider.synced}, state ${stateVector}, closes ${JSON.stringify(closes)}`
}

/** `FUZZ_SEED` if set, else `count` random seeds. */
function fuzzSeeds(count: number): number[] {
  const fixed = process.env.FUZZ_SEED
  if (fixed !== undefined && fixed !== '') {
    const seed = Number(fixed)
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`FUZZ_SEED must be a non-negative integer, not ${JSON.stringify(fixed)}`)
    return [seed]
  }
  return Array.from({ length: count }, () => randomInt(2 ** 31))
}
