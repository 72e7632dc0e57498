import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { yXmlFragmentToProseMirrorRootNode, prosemirrorJSONToYDoc } from 'y-prosemirror'
import type { Node as PMNode } from 'prosemirror-model'
import { canonicalSectionJSON } from '../../shared/canonical.js'
import { schema, emptySectionJSON, type SectionJSON } from '../../shared/schema.js'

/** The Y.XmlFragment that holds a section's ProseMirror content (y-prosemirror's default). */
export const FRAGMENT_NAME = 'prosemirror'

/** The ProseMirror document held by a section's Y.Doc. */
export function sectionNode(doc: Y.Doc): PMNode {
  const node = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(FRAGMENT_NAME), schema)
  return node.childCount === 0 ? schema.nodeFromJSON(emptySectionJSON()) : node
}

/**
 * SHA-256 (hex) of the section's canonical ProseMirror JSON: what an approval
 * binds to. Reads a copy, because turning Yjs into ProseMirror deletes
 * content the schema refuses, and a live document must not change by being
 * read.
 */
export function sectionHash(doc: Y.Doc): string {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const hash = createHash('sha256').update(canonicalSectionJSON(sectionNode(copy))).digest('hex')
  copy.destroy()
  return hash
}

/** A Yjs update that creates a section with `content`. */
export function initialSectionUpdate(content: SectionJSON): Uint8Array {
  const doc = prosemirrorJSONToYDoc(schema, content, FRAGMENT_NAME)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
