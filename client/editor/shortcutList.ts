import { Plugin } from 'prosemirror-state'
import { h, shortcutLabel } from '../dom.js'
import { isolateLeftToRight } from '../i18n/bidi.js'
import type { MessageKey } from '../i18n/english.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { infoDialog } from '../shell/dialog.js'
import { BLOCK_STYLES } from './commands.js'
import { Shortcuts } from './keymap.js'

/** The headings of the shortcut list, in the order it shows them. */
export const SHORTCUT_GROUPS = ['formatting', 'paragraphs', 'editing', 'comments', 'moving'] as const
export type ShortcutGroup = (typeof SHORTCUT_GROUPS)[number]

const GROUP_TITLES: Record<ShortcutGroup, MessageKey> = {
  formatting: 'editor.shortcuts.group.formatting',
  paragraphs: 'editor.shortcuts.group.paragraphs',
  editing: 'editor.shortcuts.group.editing',
  comments: 'editor.shortcuts.group.comments',
  moving: 'editor.shortcuts.group.moving',
}

/** One line of the shortcut list. */
export interface ShortcutEntry {
  group: ShortcutGroup
  /** What the keys do: the key of its message, read each time the list is shown. */
  label: MessageKey
  /** ProseMirror key names (`Mod-b`, `Shift-Enter`), shown with `shortcutLabel`; several when any of them works. */
  keys: readonly string[]
}

// Message keys only: the words are looked up when the list is shown, in the language of the moment.
const BUILT_IN: readonly ShortcutEntry[] = [
  { group: 'formatting', label: 'editor.shortcut.bold', keys: [Shortcuts.bold] },
  { group: 'formatting', label: 'editor.shortcut.italic', keys: [Shortcuts.italic] },
  { group: 'formatting', label: 'editor.shortcut.underline', keys: [Shortcuts.underline] },
  { group: 'formatting', label: 'editor.shortcut.link', keys: [Shortcuts.link] },
  ...BLOCK_STYLES.map(({ label, key }): ShortcutEntry => ({ group: 'paragraphs', label, keys: [key] })),
  { group: 'paragraphs', label: 'editor.shortcut.bulletList', keys: [Shortcuts.bulletList] },
  { group: 'paragraphs', label: 'editor.shortcut.orderedList', keys: [Shortcuts.orderedList] },
  { group: 'paragraphs', label: 'editor.shortcut.quote', keys: [Shortcuts.blockquote] },
  { group: 'paragraphs', label: 'editor.shortcut.indent', keys: ['Tab', 'Mod-]'] },
  { group: 'paragraphs', label: 'editor.shortcut.outdent', keys: ['Shift-Tab', 'Mod-['] },
  { group: 'paragraphs', label: 'editor.shortcut.lineBreak', keys: ['Shift-Enter'] },
  { group: 'editing', label: 'editor.shortcut.undo', keys: [Shortcuts.undo] },
  { group: 'editing', label: 'editor.shortcut.redo', keys: [Shortcuts.redo, 'Mod-y'] },
  { group: 'comments', label: 'editor.shortcut.comment', keys: [Shortcuts.comment] },
  { group: 'comments', label: 'editor.shortcut.sendComment', keys: ['Mod-Enter'] },
  { group: 'moving', label: 'editor.shortcut.toolbar', keys: [Shortcuts.toolbar] },
  { group: 'moving', label: 'editor.shortcut.escape', keys: ['Escape'] },
  { group: 'moving', label: 'editor.shortcut.shortcutList', keys: [Shortcuts.shortcutList] },
]

const added = new Map<MessageKey, ShortcutEntry>()

/**
 * Lists a shortcut that another part of the app handles itself (the list
 * already holds the editor's own). Call it once, e.g. when the module that
 * binds the keys loads: it stores only the message key, so no words are
 * looked up yet. An entry with the same `label` as another replaces it.
 *
 *     addShortcut({ group: 'moving', label: 'comments.shortcut.focusPanel', keys: ['Mod-Alt-j'] })
 */
export function addShortcut(entry: ShortcutEntry): void {
  added.set(entry.label, entry)
}

/** Every shortcut the list shows, built-in ones first, each group in order. */
export function shortcutEntries(): ShortcutEntry[] {
  const all = [...BUILT_IN.filter((entry) => !added.has(entry.label)), ...added.values()]
  return SHORTCUT_GROUPS.flatMap((group) => all.filter((entry) => entry.group === group))
}

/**
 * A shortcut's keys as text to put in a sentence or a tooltip (`Ctrl+/`),
 * isolated left to right: in an Arabic sentence a trailing `/` or `]` would
 * otherwise move to the other end of the keys.
 */
export function shortcutText(key: string): string {
  return isolateLeftToRight(shortcutLabel(key))
}

/** Whether `event` is Ctrl/Cmd-/, the key of the shortcut list. */
export function isShortcutListKey(event: KeyboardEvent): boolean {
  // By the character typed, not the physical key: on some layouts that key is "-" (Ctrl+- zooms out).
  return event.key === '/' && (event.ctrlKey || event.metaKey) && !event.altKey
}

let showing = false

/**
 * Shows the shortcut list in a modal dialog. When it closes, focus goes to
 * `returnFocus` if given (the editor passes its own focus, which keeps the
 * selection), else back where it was. Does nothing while it, or another
 * dialog, is already open.
 */
export async function openShortcutList(returnFocus?: () => void): Promise<void> {
  if (showing || document.querySelector('dialog[open]')) return
  showing = true
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
  try {
    await infoDialog({
      title: t('editor.shortcuts.title'),
      description: t('editor.shortcuts.description', { shortcut: shortcutText(Shortcuts.shortcutList) }),
      content: shortcutTables(),
      closeLabel: t('common.close'),
    })
  } finally {
    showing = false
  }
  if (returnFocus) returnFocus()
  else if (previous?.isConnected) previous.focus()
}

/**
 * Opens the shortcut list on Ctrl/Cmd-/ anywhere in `target`; returns the
 * function that stops listening. The section page listens while it shows.
 */
export function listenForShortcutList(target: Document = document): () => void {
  const onKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || !isShortcutListKey(event)) return
    event.preventDefault()
    void openShortcutList()
  }
  target.addEventListener('keydown', onKeydown)
  return () => target.removeEventListener('keydown', onKeydown)
}

/**
 * Ctrl/Cmd-/ in the text, editable or read-only (a keymap would only run in
 * editable text). Focus returns to the text, with its selection, afterwards.
 */
export function shortcutListPlugin(): Plugin {
  return new Plugin({
    props: {
      handleDOMEvents: {
        keydown(view, event) {
          if (!isShortcutListKey(event)) return false
          event.preventDefault()
          void openShortcutList(() => view.focus())
          return true
        },
      },
    },
  })
}

// "Ctrl+Shift+Z or Ctrl+Y": each key in a <kbd>, joined as the interface language joins alternatives.
function keysOf(keys: readonly string[]): HTMLElement {
  const parts = new Intl.ListFormat(currentLocale(), { type: 'disjunction' }).formatToParts(keys.map(shortcutLabel))
  return h(
    'span',
    { class: 'shortcut-list__keys' },
    // Key names read left to right in every language.
    ...parts.map((part) => (part.type === 'element' ? h('kbd', { class: 'shortcut-list__key', dir: 'ltr' }, part.value) : part.value)),
  )
}

let nextId = 0

function shortcutTables(): HTMLElement {
  const entries = shortcutEntries()
  const id = `shortcut-list-${++nextId}`
  return h(
    'div',
    // It scrolls within the dialog, which keeps its title and Close button in view; focus starts on it, so arrow keys scroll it.
    { class: 'shortcut-list', 'data-testid': 'shortcut-list', tabindex: '0', role: 'group', 'aria-label': t('editor.shortcuts.title') },
    ...SHORTCUT_GROUPS.filter((group) => entries.some((entry) => entry.group === group)).map((group) =>
      h(
        'section',
        { class: 'shortcut-list__group', 'aria-labelledby': `${id}-${group}` },
        h('h3', { class: 'shortcut-list__title', id: `${id}-${group}` }, t(GROUP_TITLES[group])),
        h(
          'table',
          { class: 'shortcut-list__table', 'aria-labelledby': `${id}-${group}` },
          h(
            'thead',
            { class: 'visually-hidden' },
            h('tr', {}, h('th', { scope: 'col' }, t('editor.shortcuts.action')), h('th', { scope: 'col' }, t('editor.shortcuts.keys'))),
          ),
          h(
            'tbody',
            {},
            ...entries
              .filter((entry) => entry.group === group)
              .map((entry) => h('tr', {}, h('th', { scope: 'row', class: 'shortcut-list__action' }, t(entry.label)), h('td', {}, keysOf(entry.keys)))),
          ),
        ),
      ),
    ),
  )
}

// Lucide's "keyboard", in the frame and stroke of the app's other icons.
const KEYBOARD_PATHS = [
  'M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
  'M6 8h.01',
  'M10 8h.01',
  'M14 8h.01',
  'M18 8h.01',
  'M8 12h.01',
  'M12 12h.01',
  'M16 12h.01',
  'M7 16h10',
]

/** The icon of the shortcut list's button (icons.ts has no keyboard). */
export function keyboardIcon(): SVGSVGElement {
  const svg = icon('plus')
  svg.replaceChildren(
    ...KEYBOARD_PATHS.map((d) => {
      const path = document.createElementNS('http://www.w3.org/2000/svg', 'path')
      path.setAttribute('d', d)
      return path
    }),
  )
  svg.setAttribute('class', 'icon icon-keyboard')
  return svg
}
