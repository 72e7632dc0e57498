import { TextSelection } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'

/**
 * Makes the editor's selection the one the page shows. The editor hears of
 * a selection made with the keyboard through the browser's `selectionchange`
 * event, which comes a moment after the key; a shortcut pressed in that
 * moment (select with Shift+arrows, then Ctrl+Alt+M at once) would otherwise
 * act on the selection before the last key.
 */
export function takePageSelection(view: EditorView): void {
  const selection = view.root instanceof Document ? view.root.getSelection() : document.getSelection()
  const { anchorNode, focusNode } = selection ?? {}
  if (!selection || !anchorNode || !focusNode || !view.dom.contains(anchorNode) || !view.dom.contains(focusNode)) return
  let anchor: number
  let head: number
  try {
    anchor = view.posAtDOM(anchorNode, selection.anchorOffset)
    head = view.posAtDOM(focusNode, selection.focusOffset)
  } catch {
    // A point the editor cannot map (inside a widget such as a colleague's cursor): keep its own selection.
    return
  }
  const current = view.state.selection
  if (current.anchor === anchor && current.head === head) return
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, anchor, head)))
}
