import { baseKeymap, toggleMark } from 'prosemirror-commands'
import { undoInputRule } from 'prosemirror-inputrules'
import { keymap } from 'prosemirror-keymap'
import { liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list'
import type { Command, Plugin } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { redoCommand, undoCommand } from 'y-prosemirror'
import { schema } from '../../shared/schema.js'
import { BLOCK_STYLES, insertHardBreak, isInList, setBlockStyle, toggleBlockquote, toggleList } from './commands.js'

const { nodes, marks } = schema

/**
 * Shortcuts shown in tooltips and in the shortcut list (shortcutList.ts), so
 * that the toolbar, the list and the keymap cannot disagree.
 */
export const Shortcuts = {
  bold: 'Mod-b',
  italic: 'Mod-i',
  underline: 'Mod-u',
  link: 'Mod-k',
  bulletList: 'Mod-Shift-8',
  orderedList: 'Mod-Shift-7',
  blockquote: 'Mod-Shift-9',
  undo: 'Mod-z',
  redo: 'Mod-Shift-z',
  toolbar: 'Alt-F10',
  comment: 'Mod-Alt-m',
  shortcutList: 'Mod-/',
} as const

/** What the keymap needs from the rest of the editor. */
export interface KeymapActions {
  /** Opens the link editor for the selection (Mod-k). */
  editLink(view: EditorView): void
  /** Moves focus to the toolbar (Alt-F10, as in most word processors). */
  focusToolbar(): void
}

const inList: Command = (state) => isInList(state, nodes.bullet_list) || isInList(state, nodes.ordered_list)

// Inside a list Tab indents; outside it, Tab must move focus on, or keyboard
// users would be trapped in the editor.
const indent: Command = (state, dispatch) => inList(state) && (sinkListItem(nodes.list_item)(state, dispatch) || true)
const outdent: Command = (state, dispatch) => inList(state) && (liftListItem(nodes.list_item)(state, dispatch) || true)

/**
 * The editor's keyboard plugins, most specific first: undo/redo through the
 * Yjs undo manager (so only one's own changes are undone), formatting, lists,
 * then ProseMirror's base keymap.
 */
export function editorKeymaps(actions: KeymapActions): Plugin[] {
  const whenEditable =
    (run: (view: EditorView) => void): Command =>
    (_state, dispatch, view) => {
      if (!view || !view.editable) return false
      if (dispatch) run(view)
      return true
    }
  const bindings: Record<string, Command> = {
    [Shortcuts.undo]: undoCommand,
    [Shortcuts.redo]: redoCommand,
    'Mod-y': redoCommand,
    [Shortcuts.bold]: toggleMark(marks.strong),
    [Shortcuts.italic]: toggleMark(marks.em),
    [Shortcuts.underline]: toggleMark(marks.underline),
    [Shortcuts.link]: whenEditable((view) => actions.editLink(view)),
    [Shortcuts.bulletList]: toggleList(nodes.bullet_list),
    [Shortcuts.orderedList]: toggleList(nodes.ordered_list),
    [Shortcuts.blockquote]: toggleBlockquote,
    [Shortcuts.toolbar]: (_state, dispatch) => {
      if (dispatch) actions.focusToolbar()
      return true
    },
    Enter: splitListItem(nodes.list_item),
    'Shift-Enter': insertHardBreak,
    'Mod-Enter': insertHardBreak,
    Tab: indent,
    'Shift-Tab': outdent,
    'Mod-]': sinkListItem(nodes.list_item),
    'Mod-[': liftListItem(nodes.list_item),
    // Right after an input rule fired ("- " became a list), Backspace undoes it.
    Backspace: undoInputRule,
  }
  for (const { style, key } of BLOCK_STYLES) bindings[key] = setBlockStyle(style)
  return [keymap(bindings), keymap(baseKeymap)]
}
