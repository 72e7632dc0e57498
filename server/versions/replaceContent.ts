import type * as Y from 'yjs'
import type { Node as PMNode } from 'prosemirror-model'
import { updateYFragment } from 'y-prosemirror'
import { FRAGMENT_NAME } from '../documents/sectionText.js'

/**
 * Makes a section's Y.Doc hold `content` with as small a change as
 * y-prosemirror can find: blocks that are equal stay untouched, a changed
 * paragraph has only its changed stretch of text replaced. Run it inside a
 * `Relay.edit`, so the change is one user's edit on top of the current text.
 */
export function replaceSectionContent(doc: Y.Doc, content: PMNode): void {
  if (content.type.name !== 'doc') throw new Error(`Section content must be a doc node, not ${content.type.name}`)
  // A fresh mapping: y-prosemirror then matches blocks by their content alone.
  updateYFragment(doc, doc.getXmlFragment(FRAGMENT_NAME), content, { mapping: new Map(), isOMark: new Map() })
}
