import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import * as Y from 'yjs'

/**
 * The large real document of the cold-load scenario: every patch of the
 * editing trace in `../shared/data/automerge-paper.json.gz` (the writing of
 * a paper, 259,778 operations) replayed into a paragraph of a section's
 * ProseMirror fragment, as a Drafting Room client would have typed it.
 */

/** Where the trace is: `shared/data/` beside the repository. */
export const TRACE_FILE = fileURLToPath(new URL('../../../shared/data/automerge-paper.json.gz', import.meta.url))

/** The Yjs client id the trace is typed by, five bytes long encoded, as 15 in 16 random ids are. */
const TRACE_CLIENT_ID = 0x7a3c_5e19

interface Trace {
  endContent: string
  txns: Array<{ patches: Array<[position: number, deleted: number, inserted: string]> }>
}

/** The trace replayed as one Yjs update; throws if the replay does not end in the trace's final text. */
export function traceDocument(file = TRACE_FILE): { update: Uint8Array; characters: number; operations: number } {
  const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace
  const doc = new Y.Doc()
  // Fixed, so that every run loads the same bytes: a random id below 2^28
  // is a byte shorter in every reference to it (289 kB rather than 311 kB).
  doc.clientID = TRACE_CLIENT_ID
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  doc.getXmlFragment('prosemirror').insert(0, [paragraph])
  paragraph.insert(0, [text])
  let operations = 0
  for (const transaction of trace.txns) {
    doc.transact(() => {
      for (const [position, deleted, inserted] of transaction.patches) {
        if (deleted > 0) text.delete(position, deleted)
        if (inserted.length > 0) text.insert(position, inserted)
        operations++
      }
    })
  }
  if (text.toString() !== trace.endContent) throw new Error(`Replaying ${file} did not give its endContent`)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return { update, characters: trace.endContent.length, operations }
}
