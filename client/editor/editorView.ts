import { EditorState, Plugin } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { yCursorPlugin, ySyncPlugin, yUndoPlugin } from 'y-prosemirror'
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { schema } from '../../shared/schema.js'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { isolate } from '../i18n/bidi.js'
import { commentHighlights, type CommentHooks } from './commentHighlights.js'
import { cursorBuilder, cursorLabelFit, selectionBuilder } from './cursors.js'
import { editorInputRules } from './inputRules.js'
import { editorKeymaps } from './keymap.js'
import { LinkPopover } from './linkPopover.js'
import { placeholder } from './placeholder.js'
import { shortcutListPlugin } from './shortcutList.js'
import { Toolbar } from './toolbar.js'

/** What the editor may do now. */
export interface EditorMode {
  /** The section's text has arrived from the server. */
  loaded: boolean
  /** The user may change the text (write access, and loaded). */
  editable: boolean
}

/**
 * A section's text editor: a ProseMirror view bound to the section's Y.Doc
 * (y-prosemirror sync, collaborators' cursors, and an undo that only undoes
 * one's own changes), with its toolbar, link form and comment highlights.
 */
export class SectionEditor {
  readonly view: EditorView
  readonly toolbar: Toolbar
  /** The element holding the text and the link form; place it in the page. */
  readonly element: HTMLElement
  private readonly linkPopover: LinkPopover
  private mode: EditorMode = { loaded: false, editable: false }

  constructor(
    fragment: Y.XmlFragment,
    awareness: Awareness,
    private title: string,
    comments: CommentHooks,
  ) {
    this.element = h('div', { class: 'editor-frame' })
    this.linkPopover = new LinkPopover(this.element)
    const editLink = (view: EditorView): void => this.linkPopover.open(view)
    this.toolbar = new Toolbar({ editLink, comment: (view) => comments.startComment(view), canComment: () => comments.canComment() })
    const toolbarSync = new Plugin({
      view: (view) => {
        this.toolbar.update(view, this.mode.editable)
        return { update: (updated) => this.toolbar.update(updated, this.mode.editable) }
      },
    })
    const state = EditorState.create({
      schema,
      plugins: [
        // y-prosemirror's plugins must come first: the others read its state.
        ySyncPlugin(fragment),
        yCursorPlugin(awareness, { cursorBuilder, selectionBuilder }),
        yUndoPlugin(),
        cursorLabelFit(),
        ...editorKeymaps({ editLink, focusToolbar: () => this.toolbar.focus() }),
        editorInputRules(),
        placeholder(() => this.placeholderText()),
        commentHighlights(comments),
        shortcutListPlugin(),
        toolbarSync,
      ],
    })
    const mount = h('div', { class: 'editor-surface' })
    this.element.prepend(mount)
    this.view = new EditorView(mount, {
      state,
      editable: () => this.mode.editable,
      attributes: () => this.attributes(),
    })
  }

  /** Switches between loading, read-only and editable. */
  setMode(mode: EditorMode): void {
    if (mode.loaded === this.mode.loaded && mode.editable === this.mode.editable) return
    this.mode = mode
    if (!mode.editable && this.linkPopover.isOpen) this.linkPopover.close()
    // setProps re-reads `editable` and `attributes`; the toolbar follows via its plugin view.
    this.view.setProps({})
    this.toolbar.update(this.view, mode.editable)
  }

  /** Follows a renamed section in the editor's accessible name. */
  setTitle(title: string): void {
    if (title === this.title) return
    this.title = title
    this.view.setProps({})
  }

  /** Unbinds from the Y.Doc and the awareness (our cursor disappears for others). */
  destroy(): void {
    this.view.destroy()
    this.element.remove()
    this.toolbar.destroy()
    this.toolbar.element.remove()
  }

  private attributes(): Record<string, string> {
    return {
      class: 'section-text',
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': t('editor.textOf', { title: isolate(this.title) }),
      'aria-readonly': String(!this.mode.editable),
      spellcheck: 'true',
      // A read-only text is not contenteditable; keep it reachable by keyboard for reading and copying.
      ...(this.mode.editable ? {} : { tabindex: '0' }),
    }
  }

  private placeholderText(): string {
    if (!this.mode.loaded) return t('editor.placeholder.loading')
    return t(this.mode.editable ? 'editor.placeholder.editable' : 'editor.placeholder.readOnly')
  }
}
