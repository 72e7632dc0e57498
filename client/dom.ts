import type { MessageKey } from './i18n/english.js'
import { t } from './i18n/i18n.js'

/** A child `h` accepts: nodes, text (set as text, never parsed as HTML), or nothing. */
export type Child = Node | string | null | undefined | false

/** Attribute values; `true` sets an empty attribute, `false`/null/undefined leave it out. */
export type Attributes = Record<string, string | number | boolean | null | undefined>

/**
 * Creates an element with attributes and children. Strings become text nodes,
 * so user-provided text (titles, names, organisations) can never turn into
 * markup: the client builds all of its DOM through this or `textContent`.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  setAttributes(element, attributes)
  append(element, ...children)
  return element
}

/** Sets each attribute of `attributes` on `element`, with `h`'s rules for booleans and null. */
function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) element.removeAttribute(name)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
}

/** Appends children to `parent`, skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
  }
}

/** Replaces every child of `parent` with `children`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, ...children)
}

/** Text for assistive technology only; hidden visually by the `.visually-hidden` class. */
export function visuallyHidden(text: string): HTMLSpanElement {
  return h('span', { class: 'visually-hidden' }, text)
}

/** Whether the user is on an Apple platform, where shortcuts use ⌘ rather than Ctrl. */
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/.test(navigator.userAgent)

// Keys whose names the interface language spells its own way (`Maj` for Shift in French), by ProseMirror name.
const KEY_NAMES: Record<string, MessageKey> = {
  Mod: 'common.key.ctrl',
  Shift: 'common.key.shift',
  Alt: 'common.key.alt',
  Enter: 'common.key.enter',
  Escape: 'common.key.escape',
  Tab: 'common.key.tab',
}

// What a Mac keyboard shows for its modifier keys.
const MAC_SYMBOLS: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥' }

/**
 * A ProseMirror key name such as `Mod-Shift-z` as the user's keyboard spells
 * it: `⌘⇧Z` on a Mac, `Ctrl+Shift+Z` elsewhere, with the key names of the
 * interface language (`Ctrl+Maj+Z` in French).
 */
export function shortcutLabel(key: string): string {
  const parts = key.split('-')
  const last = parts.pop() ?? ''
  const name = (part: string): string => {
    if (isMac && Object.hasOwn(MAC_SYMBOLS, part)) return MAC_SYMBOLS[part]!
    return Object.hasOwn(KEY_NAMES, part) ? t(KEY_NAMES[part]!) : part
  }
  const names = parts.map(name)
  const keyName = last.length === 1 ? last.toUpperCase() : name(last)
  return isMac ? [...names, keyName].join('') : [...names, keyName].join('+')
}

/** The `aria-keyshortcuts` form of a ProseMirror key name, e.g. `Control+Shift+Z`. */
export function ariaShortcut(key: string): string {
  return key
    .split('-')
    .map((part) => (part === 'Mod' ? (isMac ? 'Meta' : 'Control') : part.length === 1 ? part.toUpperCase() : part))
    .join('+')
}
