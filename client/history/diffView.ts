import type { PersonView } from '../../shared/inputs.js'
import { directionOf } from '../../shared/locales.js'
import type { DiffBlock, DiffChange, DiffMark, DiffNode, DiffText } from '../../shared/versions.js'
import { h, type Child } from '../dom.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { isolate } from '../i18n/bidi.js'

/** "Lena Karlsson · Swedish Red Cross". */
export function personLabel(person: PersonView): string {
  return person.organisation ? `${person.name} · ${person.organisation}` : person.name
}

// The attribution of a change: in the tooltip for pointers, and as text for everyone else.
function attribution(change: 'inserted' | 'deleted', author: PersonView | null): { title: string; label: HTMLElement } {
  let title: string
  if (change === 'inserted') title = author ? t('history.diff.insertedBy', { person: isolate(personLabel(author)) }) : t('history.diff.insertedByUnknown')
  else title = author ? t('history.diff.deletedBy', { person: isolate(personLabel(author)) }) : t('history.diff.deletedByUnknown')
  return {
    title,
    label: h('span', { class: 'diff__author', 'data-testid': 'diff-author', dir: 'auto' }, author ? author.name : t('history.diff.unknownAuthor')),
  }
}

// Wraps text in the marks it carries, as the editor shows them (links are not followed here).
function withMarks(text: string, marks: DiffMark[]): Child {
  let node: Node = document.createTextNode(text)
  for (const mark of marks) {
    if (mark.type === 'strong') node = h('strong', {}, node)
    else if (mark.type === 'em') node = h('em', {}, node)
    else if (mark.type === 'underline') node = h('u', {}, node)
    else if (mark.type === 'link') node = h('span', { class: 'diff__link', title: mark.attrs?.href ?? '' }, node)
  }
  return node
}

// One run, or a whole changed block's wrapper: <ins>/<del> with its author.
function changed(change: DiffChange, author: PersonView | null, ...content: Child[]): Child[] {
  if (change === null) return content
  const { title, label } = attribution(change, author)
  const element = h(change === 'inserted' ? 'ins' : 'del', { class: `diff__${change}`, title, 'data-change': change }, ...content)
  return [element, label]
}

function renderText(node: DiffText): Child[] {
  return changed(node.change, node.author, withMarks(node.text, node.marks))
}

// Runs of the same change and author sit together: the author is named once after them.
function renderInline(nodes: DiffNode[]): Child[] {
  const out: Child[] = []
  let i = 0
  while (i < nodes.length) {
    const node = nodes[i]!
    if (node.type !== 'text' && node.type !== 'hard_break') {
      out.push(renderBlock(node))
      i++
      continue
    }
    const group: Child[] = []
    const change = node.change
    const author = node.author
    while (i < nodes.length) {
      const next = nodes[i]!
      if ((next.type !== 'text' && next.type !== 'hard_break') || next.change !== change || next.author?.id !== author?.id) break
      group.push(next.type === 'text' ? withMarks(next.text, next.marks) : h('br'))
      i++
    }
    out.push(...changed(change, author, ...group))
  }
  return out
}

const BLOCK_TAGS = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bullet_list: 'ul',
  ordered_list: 'ol',
  list_item: 'li',
} as const

function renderBlock(block: DiffBlock): HTMLElement {
  let element: HTMLElement
  if (block.type === 'heading') {
    const level = Math.min(Math.max(block.attrs.level ?? 2, 2), 4)
    element = h(level === 2 ? 'h2' : level === 3 ? 'h3' : 'h4', { dir: 'auto' })
  } else {
    // Text blocks read in their own direction, as in the editor.
    element = h(BLOCK_TAGS[block.type], { dir: block.type === 'paragraph' ? 'auto' : null })
    if (block.type === 'ordered_list' && block.attrs.order && block.attrs.order !== 1) element.setAttribute('start', String(block.attrs.order))
  }
  element.append(...renderInline(block.content).filter((child): child is Node | string => Boolean(child)))
  if (block.change) {
    const { title, label } = attribution(block.change, block.author)
    element.classList.add(`diff__block--${block.change}`)
    element.dataset.change = block.change
    element.title = title
    // In the interface's direction, and left out when the block's own text decides its direction.
    element.prepend(h('span', { class: 'diff__block-label', dir: directionOf(currentLocale()) }, t(block.change === 'inserted' ? 'history.diff.addedBlock' : 'history.diff.removedBlock'), ' · ', label))
  }
  return element
}

/** The compared text in the editor's styling, insertions underlined and deletions struck through. */
export function diffContent(blocks: DiffBlock[]): HTMLElement {
  return h('div', { class: 'section-text diff', 'data-testid': 'diff' }, ...blocks.map(renderBlock))
}
