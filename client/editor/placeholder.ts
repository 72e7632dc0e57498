import { Plugin } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'

/**
 * Shows `text()` in an empty section, so an empty page says what to do. It is
 * a CSS `::before` on the only paragraph (from `data-placeholder`), not
 * content, so it never reaches the document or the other collaborators.
 * An empty paragraph has no letter for `dir="auto"` to go by, so while it is
 * empty it takes the interface's direction: in Arabic the placeholder and
 * the caret start on the right. The first letter typed decides from then on.
 */
export function placeholder(text: () => string): Plugin {
  return new Plugin({
    props: {
      decorations(state) {
        const { doc } = state
        const only = doc.childCount === 1 ? doc.firstChild : null
        if (!only || !only.isTextblock || only.content.size > 0) return null
        const direction = document.documentElement.dir === 'rtl' ? { style: 'direction: rtl' } : {}
        return DecorationSet.create(doc, [
          Decoration.node(0, only.nodeSize, { class: 'is-empty', 'data-placeholder': text(), ...direction }),
        ])
      },
    },
  })
}
