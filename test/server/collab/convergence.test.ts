import { randomInt } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import type { PRNG } from 'lib0/prng'
import type { Node as PMNode } from 'prosemirror-model'
import { EditorState, type Plugin, type PluginView, type Transaction } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { ySyncPlugin, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { schema } from '../../../shared/schema.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { randomEdit } from '../../helpers/randomEdits.js'
import { waitFor } from '../../helpers/waitFor.js'

// Issue 2: several editors through the real relay, random schema-valid edits,
// random disconnects; in the end everyone, the server's store included, holds
// the same document. Reproduce a failure with
//   FUZZ_SEED=<seed> npx vitest run test/server/collab/convergence.test.ts

const CLIENTS = 4
const ROUNDS = 300
const SEEDS = fuzzSeeds(3)

/**
 * A ProseMirror editor without a DOM. It runs y-prosemirror's real
 * `ySyncPlugin` behind a stand-in for the `EditorView`, so local edits reach
 * Yjs and remote changes reach ProseMirror exactly as they do in the browser.
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

  // The binding asks for focus to decide whether to scroll to the caret.
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

interface Peer {
  name: string
  client: CollabClient
  editor: HeadlessEditor
  /** The round at which a peer that went offline comes back, or null while online. */
  offlineUntil: number | null
}

/** What a test started, so that `afterEach` can stop it whatever happened. */
const running: { server: TestServer | null; peers: Peer[]; clients: CollabClient[] } = { server: null, peers: [], clients: [] }

afterEach(async () => {
  for (const peer of running.peers) peer.editor.destroy()
  for (const client of running.clients) client.destroy()
  running.peers = []
  running.clients = []
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
          `Convergence failed. Reproduce with FUZZ_SEED=${seed} npx vitest run test/server/collab/convergence.test.ts\n` +
            `Last steps:\n  ${log.slice(-60).join('\n  ')}`,
        )
        throw error
      }
    },
  )
})

async function fuzz(seed: number, log: string[]): Promise<void> {
  const gen = prng.create(seed)
  const seedNote = `FUZZ_SEED=${seed}`
  let server = await startTestServer()
  running.server = server
  const document = await server.demoDocument((await server.login('drafter')).cookie)
  const sectionId = document.sections[0]!.id

  const peers = running.peers
  for (let i = 0; i < CLIENTS; i++) {
    // Each editor is its own session of a drafter, as delegates of one team would be.
    const client = connectClient(server.wsUrl, sectionId, (await server.login('drafter')).cookie)
    running.clients.push(client)
    await client.synced()
    peers.push({ name: `client ${i}`, client, editor: new HeadlessEditor(client.fragment), offlineUntil: null })
  }

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
      if (isValid(before)) {
        expect(schemaError(edit.tr.doc), `${peer.name}'s edit "${edit.description}" (${seedNote})`).toBeNull()
      }
      peer.editor.dispatch(edit.tr)
      expect(
        yXmlFragmentToProseMirrorRootNode(peer.client.fragment, schema).toJSON(),
        `${peer.name}'s Yjs document after "${edit.description}" (${seedNote})`,
      ).toEqual(peer.editor.state.doc.toJSON())
    }
    await interleave(gen)
  }

  log.push('everyone reconnects')
  for (const peer of peers) {
    peer.offlineUntil = null
    if (!peer.client.provider.shouldConnect) peer.client.provider.connect()
  }
  await waitFor(() => peers.every((peer) => peer.client.provider.synced), { message: `every client to sync (${seedNote})` })
  await waitFor(
    async () => {
      const room = await server.server.relay.room(sectionId)
      if (!room) return false
      const state = Y.snapshot(room.doc)
      return peers.every((peer) => Y.equalSnapshots(Y.snapshot(peer.client.doc), state))
    },
    { message: `every client to hold the server's Yjs state (${seedNote})` },
  ).catch(async (error: unknown) => {
    const room = await server.server.relay.room(sectionId)
    const describe = (name: string, doc: Y.Doc | undefined) =>
      doc
        ? `${name}: sv ${JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))])} pending ${doc.store.pendingStructs ? JSON.stringify([...doc.store.pendingStructs.missing]) : 'none'} pendingDs ${doc.store.pendingDs ? 'yes' : 'no'}`
        : `${name}: none`
    log.push(describe('server', room?.doc))
    const conns = [...((server.server.relay as any).connections as Set<any>)]
    for (const c of conns) log.push(`conn ${[...c.clientIds]} room current=${c.room === room} destroyed=${c.room?.destroyed} members=${c.room?.members.size} state=${c.socket.readyState}`)
    for (const peer of peers) log.push(`${peer.name} clientID ${peer.client.doc.clientID} closes ${JSON.stringify(peer.client.closes)}`)
    for (const peer of peers) log.push(describe(`${peer.name} (${peer.client.provider.wsconnected ? 'connected' : 'offline'}, synced ${peer.client.provider.synced})`, peer.client.doc))
    throw error
  })
  await Promise.all(peers.map((peer) => peer.client.saved()))

  const expected = peers[0]!.editor.state.doc.toJSON()
  expect(schemaError(schema.nodeFromJSON(expected)), `the converged document (${seedNote})`).toBeNull()
  for (const peer of peers) {
    expect(peer.editor.state.doc.toJSON(), `${peer.name}'s editor (${seedNote})`).toEqual(expected)
    expect(peer.client.json(), `${peer.name}'s Yjs document (${seedNote})`).toEqual(expected)
  }
  expect(await storedJSON(server, sectionId), `the stored section (${seedNote})`).toEqual(expected)

  for (const peer of peers) {
    peer.editor.destroy()
    peer.client.destroy()
  }
  running.peers = []
  running.clients = []
  server = await server.restart()
  running.server = server
  const reader = connectClient(server.wsUrl, sectionId, (await server.login('drafter')).cookie)
  running.clients.push(reader)
  await reader.synced()
  expect(reader.json(), `a client after the restart (${seedNote})`).toEqual(expected)
}

/** Lets the relay's messages interleave with the edits: sometimes none, sometimes a turn, sometimes a few ms. */
async function interleave(gen: PRNG): Promise<void> {
  const roll = prng.real53(gen)
  if (roll < 0.4) return
  if (roll < 0.9) await new Promise((resolve) => setImmediate(resolve))
  else await new Promise((resolve) => setTimeout(resolve, prng.int32(gen, 1, 8)))
}

async function storedJSON(server: TestServer, sectionId: string): Promise<ReturnType<PMNode['toJSON']>> {
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

function isValid(doc: PMNode): boolean {
  return schemaError(doc) === null
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
