import * as Y from 'yjs'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as decoding from 'lib0/decoding'
import type { Node as PMNode } from 'prosemirror-model'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { MessageType, decodeAccess, decodePersisted, type AccessNotice } from '../../shared/relayProtocol.js'
import { schema } from '../../shared/schema.js'
import { SaveTracker } from '../../client/collab/saveTracker.js'
import { waitFor } from './waitFor.js'

/**
 * The ProseMirror JSON of what `doc` holds, read from a copy. Reading
 * merges adjacent text nodes in the Y.Doc read, in two transactions; an
 * editor bound to that document re-renders between them and can add the
 * text twice (yjs/y-prosemirror#271), so a check must not read the live one.
 */
export function docJSON(doc: Y.Doc): ReturnType<PMNode['toJSON']> {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const json = yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment('prosemirror'), schema).toJSON()
  copy.destroy()
  return json
}

/** A real y-websocket client in Node, signed in with a session cookie. */
export interface CollabClient {
  doc: Y.Doc
  provider: WebsocketProvider
  fragment: Y.XmlFragment
  /** The last `access` notice from the server. */
  access: AccessNotice | null
  /** The last persisted state vector the server reported. */
  readonly persisted: Map<number, number> | null
  /** Whether this client's own changes are all on the server's disk (the client's SaveTracker). */
  readonly tracker: SaveTracker
  /** Close events the server sent, newest last. */
  closes: { code: number; reason: string }[]
  /** The section as ProseMirror JSON. */
  json(): ReturnType<PMNode['toJSON']>
  /** The section's plain text, blocks separated by newlines. */
  text(): string
  /** Resolves once the first sync with the server completed. */
  synced(): Promise<void>
  /** Resolves once everything this client has was reported persisted. */
  saved(): Promise<void>
  destroy(): void
}

/** A `ws` WebSocket class that sends `headers` with its upgrade request. */
export function websocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(address: string | URL | null, protocols?: string | string[]) {
      super(address!, protocols, { headers })
    }
  } as typeof WebSocket
}

/** Connects a real `WebsocketProvider` to `/collab/<sectionId>` as the cookie's user. */
export function connectClient(
  wsUrl: string,
  sectionId: string,
  cookie: string | null,
  options: { connect?: boolean; headers?: Record<string, string> } = {},
): CollabClient {
  const doc = new Y.Doc()
  const headers = { ...(cookie ? { cookie } : {}), ...options.headers }
  const provider = new WebsocketProvider(wsUrl, sectionId, doc, {
    WebSocketPolyfill: websocketWithHeaders(headers) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 200,
  })
  const tracker = new SaveTracker(provider, doc, () => undefined)
  const client: CollabClient = {
    doc,
    provider,
    fragment: doc.getXmlFragment('prosemirror'),
    access: null,
    get persisted() {
      return tracker.persistedStateVector
    },
    tracker,
    closes: [],
    json: () => docJSON(doc),
    text: () => client.fragment.toArray().map(plainText).join('\n'),
    synced: () => waitFor(() => provider.synced, { message: `sync of ${sectionId}` }).then(() => undefined),
    saved: () =>
      waitFor(() => provider.synced && !tracker.unsaved, { message: "the server to persist this client's changes" }).then(
        () => undefined,
      ),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
  provider.messageHandlers[MessageType.persisted] = (_encoder, decoder: decoding.Decoder) => {
    tracker.persisted(decodePersisted(decoder))
  }
  provider.messageHandlers[MessageType.access] = (_encoder, decoder: decoding.Decoder) => {
    client.access = decodeAccess(decoder)
  }
  provider.on('connection-close', (event) => {
    if (event) client.closes.push({ code: event.code, reason: event.reason })
  })
  return client
}

function plainText(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')
  }
  if (node instanceof Y.XmlElement) return node.toArray().map(plainText).join(node.nodeName.endsWith('list') ? '\n' : '')
  return ''
}
