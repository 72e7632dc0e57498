import { toggleMark } from 'prosemirror-commands'
import type { Command, EditorState } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { redoCommand, undoCommand } from 'y-prosemirror'
import { schema } from '../../shared/schema.js'
import { ariaShortcut, h, shortcutLabel } from '../dom.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { icon, type IconName } from '../icons.js'
import {
  BLOCK_STYLES,
  blockStyleAt,
  isInBlockquote,
  isInList,
  isLinkActive,
  isMarkActive,
  setBlockStyle,
  toggleBlockquote,
  toggleList,
  type BlockStyle,
} from './commands.js'
import { Shortcuts } from './keymap.js'
import { keyboardIcon, openShortcutList, shortcutText } from './shortcutList.js'

const { nodes, marks } = schema

/** One toolbar button: what it does, whether it is on, and how it is named. */
interface ButtonSpec {
  /** The key of its name, looked up when the toolbar is built. */
  label: MessageKey
  icon: IconName | 'keyboard'
  key: string
  run: (view: EditorView) => void
  /** For toggles: whether the format applies at the selection (sets `aria-pressed`). */
  active?: (state: EditorState) => boolean
  /** Whether the button can do anything now; defaults to always. */
  enabled?: (state: EditorState) => boolean
  /** Mirrored in right-to-left text (arrows and list markers). */
  mirror?: boolean
  /** Works without write access too (commenting). */
  readOnly?: boolean
  /** Shows its label beside the icon. */
  labelled?: boolean
}

const command =
  (run: Command) =>
  (view: EditorView): void => {
    run(view.state, view.dispatch, view)
    view.focus()
  }

/** What the toolbar needs from the editor it belongs to. */
export interface ToolbarActions {
  editLink(view: EditorView): void
  /** Starts a comment on the selection. */
  comment(view: EditorView): void
  /** Whether the user may comment on this section. */
  canComment(): boolean
}

/**
 * The formatting toolbar: undo and redo, paragraph style, bold, italic,
 * underline, link, lists and quote, then comment and the keyboard shortcut
 * list (both work in read-only text too). Toggles report their state with
 * `aria-pressed`, every control names its shortcut, and the toolbar is one
 * tab stop with arrow keys inside (the WAI-ARIA toolbar pattern).
 */
export class Toolbar {
  readonly element: HTMLElement
  private readonly styleSelect: HTMLSelectElement
  private readonly buttons: { spec: ButtonSpec; element: HTMLButtonElement }[] = []
  private view: EditorView | null = null
  private editable = false
  private readonly resize: ResizeObserver
  /** The control focused last: the toolbar's tab stop while it is enabled. */
  private lastFocused: HTMLElement | null = null

  constructor(actions: ToolbarActions) {
    this.element = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('editor.toolbar.label') })

    const groups: (ButtonSpec[] | 'style')[] = [
      [
        { label: 'editor.toolbar.undo', icon: 'undo', key: Shortcuts.undo, run: command(undoCommand), enabled: (s) => undoCommand(s) === true, mirror: true },
        { label: 'editor.toolbar.redo', icon: 'redo', key: Shortcuts.redo, run: command(redoCommand), enabled: (s) => redoCommand(s) === true, mirror: true },
      ],
      'style',
      [
        { label: 'editor.toolbar.bold', icon: 'bold', key: Shortcuts.bold, run: command(toggleMark(marks.strong)), active: (s) => isMarkActive(s, marks.strong) },
        { label: 'editor.toolbar.italic', icon: 'italic', key: Shortcuts.italic, run: command(toggleMark(marks.em)), active: (s) => isMarkActive(s, marks.em) },
        { label: 'editor.toolbar.underline', icon: 'underline', key: Shortcuts.underline, run: command(toggleMark(marks.underline)), active: (s) => isMarkActive(s, marks.underline) },
        { label: 'editor.toolbar.link', icon: 'link', key: Shortcuts.link, run: (view) => actions.editLink(view), active: isLinkActive },
      ],
      [
        { label: 'editor.toolbar.bulletList', icon: 'bulletList', key: Shortcuts.bulletList, run: command(toggleList(nodes.bullet_list)), active: (s) => isInList(s, nodes.bullet_list), mirror: true },
        { label: 'editor.toolbar.orderedList', icon: 'orderedList', key: Shortcuts.orderedList, run: command(toggleList(nodes.ordered_list)), active: (s) => isInList(s, nodes.ordered_list), mirror: true },
        { label: 'editor.toolbar.quote', icon: 'quote', key: Shortcuts.blockquote, run: command(toggleBlockquote), active: isInBlockquote, mirror: true },
      ],
      [
        { label: 'editor.toolbar.comment', icon: 'comment', key: Shortcuts.comment, run: (view) => actions.comment(view), enabled: (s) => actions.canComment() && !s.selection.empty, readOnly: true, labelled: true },
        {
          label: 'editor.toolbar.shortcuts',
          icon: 'keyboard',
          key: Shortcuts.shortcutList,
          // Opened with the mouse, the list gives focus back to the text (and its selection); from the keyboard, to this button.
          run: (view) => void openShortcutList(view.hasFocus() ? () => view.focus() : undefined),
          readOnly: true,
        },
      ],
    ]

    this.styleSelect = h('select', { class: 'toolbar__select', 'aria-label': t('editor.toolbar.paragraphStyle'), title: t('editor.toolbar.paragraphStyle') })
    for (const { style, label, key } of BLOCK_STYLES) {
      this.styleSelect.append(h('option', { value: style, title: shortcutLabel(key) }, t(label)))
    }
    this.styleSelect.addEventListener('change', () => {
      const view = this.view
      if (!view) return
      setBlockStyle(this.styleSelect.value as BlockStyle)(view.state, view.dispatch)
      view.focus()
    })

    for (const group of groups) {
      const groupElement = h('div', { class: 'toolbar__group', role: 'group' })
      if (group === 'style') {
        groupElement.append(this.styleSelect)
      } else {
        for (const spec of group) groupElement.append(this.button(spec))
      }
      this.element.append(groupElement)
    }
    this.element.addEventListener('keydown', (event) => this.onKeydown(event))
    this.element.addEventListener('focusin', (event) => {
      if (event.target instanceof HTMLElement) this.lastFocused = event.target
    })
    this.updateTabStop()
    this.resize = new ResizeObserver(() => this.fit())
    this.resize.observe(this.element)
  }

  /** Stops following the toolbar's size; the page removes its element. */
  destroy(): void {
    this.resize.disconnect()
  }

  // Where one line is too short for every control (a narrow column, longer
  // words in some languages), the Comment button drops its visible word and
  // keeps its icon, name and tooltip; if that is not enough, so does the
  // History button beside the toolbar (history.css); only then does the
  // toolbar wrap to two lines. Measured from the full width each time, the
  // decision does not depend on itself.
  private fit(): void {
    this.element.classList.remove('toolbar--compact', 'toolbar--narrow')
    if (!this.wraps()) return
    this.element.classList.add('toolbar--compact')
    if (this.wraps()) this.element.classList.add('toolbar--narrow')
  }

  private wraps(): boolean {
    const groups = this.element.querySelectorAll<HTMLElement>('.toolbar__group')
    const first = groups[0]
    const last = groups[groups.length - 1]
    return first !== undefined && last !== undefined && last.offsetTop > first.offsetTop
  }

  /** Shows the state of `view`: called after every transaction and when editability changes. */
  update(view: EditorView, editable: boolean): void {
    this.view = view
    this.editable = editable
    const state = view.state
    for (const { spec, element } of this.buttons) {
      element.disabled = (!editable && !spec.readOnly) || (spec.enabled ? !spec.enabled(state) : false)
      if (spec.active) element.setAttribute('aria-pressed', String(editable && spec.active(state)))
    }
    const style = blockStyleAt(state)
    this.styleSelect.disabled = !editable || style === null
    // A heading cannot start a list item, so offer only what would work here.
    for (const option of this.styleSelect.options) {
      option.disabled = style !== option.value && !setBlockStyle(option.value as BlockStyle)(state)
    }
    this.styleSelect.value = style ?? 'paragraph'
    this.updateTabStop()
  }

  /** Moves focus into the toolbar, onto its current tab stop. */
  focus(): void {
    this.items().find((item) => item.tabIndex === 0)?.focus()
  }

  private button(spec: ButtonSpec): HTMLButtonElement {
    const label = t(spec.label)
    const element = h(
      'button',
      {
        type: 'button',
        class: spec.labelled ? 'icon-button toolbar__button toolbar__button--labelled' : 'icon-button toolbar__button',
        'aria-label': label,
        'aria-keyshortcuts': ariaShortcut(spec.key),
        title: t('editor.toolbar.withShortcut', { label, shortcut: shortcutText(spec.key) }),
        'data-command': spec.icon,
        disabled: true,
      },
      spec.icon === 'keyboard' ? keyboardIcon() : icon(spec.icon, spec.mirror ? 'icon--mirror' : ''),
      spec.labelled ? h('span', { class: 'toolbar__button-label', 'aria-hidden': 'true' }, label) : null,
    )
    if (spec.active) element.setAttribute('aria-pressed', 'false')
    // Keep the editor's selection: a mouse press on a button must not take focus first.
    element.addEventListener('mousedown', (event) => event.preventDefault())
    element.addEventListener('click', () => {
      if (this.view && (this.editable || spec.readOnly)) spec.run(this.view)
    })
    this.buttons.push({ spec, element })
    return element
  }

  private items(): (HTMLButtonElement | HTMLSelectElement)[] {
    return [...this.element.querySelectorAll<HTMLButtonElement | HTMLSelectElement>('button, select')].filter(
      (item) => !item.disabled,
    )
  }

  // Exactly one enabled control is tabbable: the one focused last, else the first.
  private updateTabStop(): void {
    const items = this.items()
    const current = items.find((item) => item === this.lastFocused) ?? items[0]
    for (const item of this.element.querySelectorAll<HTMLElement>('button, select')) {
      item.tabIndex = item === current ? 0 : -1
    }
  }

  private onKeydown(event: KeyboardEvent): void {
    const items = this.items()
    const index = items.indexOf(document.activeElement as HTMLButtonElement)
    if (index < 0) return
    const rtl = getComputedStyle(this.element).direction === 'rtl'
    let next: number
    if (event.key === (rtl ? 'ArrowLeft' : 'ArrowRight')) next = (index + 1) % items.length
    else if (event.key === (rtl ? 'ArrowRight' : 'ArrowLeft')) next = (index - 1 + items.length) % items.length
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = items.length - 1
    else if (event.key === 'Escape' && this.view) {
      event.preventDefault()
      this.view.focus()
      return
    } else return
    event.preventDefault()
    for (const item of items) item.tabIndex = -1
    items[next]!.tabIndex = 0
    items[next]!.focus()
  }
}
