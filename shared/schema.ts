import { Schema, type DOMOutputSpec, type Mark, type Node as PMNode } from 'prosemirror-model'
import { safeHref } from './links.js'

/**
 * Bumped whenever the schema changes in a way that stored documents must be
 * migrated for. Clients send it with their connection so that an outdated tab
 * cannot write nodes the server no longer understands.
 */
export const SCHEMA_VERSION = 1

/** Heading levels a section body may use; level 1 is the section title itself. */
export const HEADING_LEVELS = [2, 3, 4] as const

// ProseMirror's attribute validators must throw to refuse a value.
function requireHeadingLevel(value: unknown): void {
  if (!HEADING_LEVELS.includes(value as 2)) throw new RangeError(`Heading level must be 2, 3 or 4, not ${String(value)}`)
}

function requireSafeHref(value: unknown): void {
  if (typeof value !== 'string' || safeHref(value) === null) {
    throw new RangeError('Links must be http, https or mailto addresses')
  }
}

// `dir="auto"` lets an Arabic paragraph in an English section read right to left.
const textBlockAttrs = { dir: 'auto' }

/**
 * The ProseMirror schema of a section's text, shared by the editor, the relay's
 * validation, hashing and export so that all of them agree on what a section is.
 */
export const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: {
      content: 'inline*',
      group: 'block',
      parseDOM: [{ tag: 'p' }],
      toDOM: (): DOMOutputSpec => ['p', textBlockAttrs, 0],
    },
    heading: {
      attrs: { level: { default: 2, validate: requireHeadingLevel } },
      content: 'inline*',
      group: 'block',
      defining: true,
      parseDOM: [
        { tag: 'h1', attrs: { level: 2 } },
        { tag: 'h2', attrs: { level: 2 } },
        { tag: 'h3', attrs: { level: 3 } },
        { tag: 'h4', attrs: { level: 4 } },
        { tag: 'h5', attrs: { level: 4 } },
        { tag: 'h6', attrs: { level: 4 } },
      ],
      toDOM: (node: PMNode): DOMOutputSpec => [`h${node.attrs.level as number}`, textBlockAttrs, 0],
    },
    blockquote: {
      content: 'block+',
      group: 'block',
      defining: true,
      parseDOM: [{ tag: 'blockquote' }],
      toDOM: (): DOMOutputSpec => ['blockquote', 0],
    },
    bullet_list: {
      content: 'list_item+',
      group: 'block',
      parseDOM: [{ tag: 'ul' }],
      toDOM: (): DOMOutputSpec => ['ul', 0],
    },
    ordered_list: {
      attrs: { order: { default: 1, validate: 'number' } },
      content: 'list_item+',
      group: 'block',
      parseDOM: [
        {
          tag: 'ol',
          getAttrs: (dom: HTMLElement) => ({
            order: dom.hasAttribute('start') ? Number(dom.getAttribute('start')) || 1 : 1,
          }),
        },
      ],
      toDOM: (node: PMNode): DOMOutputSpec =>
        node.attrs.order === 1 ? ['ol', 0] : ['ol', { start: node.attrs.order as number }, 0],
    },
    list_item: {
      content: 'paragraph block*',
      defining: true,
      parseDOM: [{ tag: 'li' }],
      toDOM: (): DOMOutputSpec => ['li', 0],
    },
    text: { group: 'inline' },
    hard_break: {
      inline: true,
      group: 'inline',
      selectable: false,
      parseDOM: [{ tag: 'br' }],
      toDOM: (): DOMOutputSpec => ['br'],
    },
  },
  marks: {
    link: {
      attrs: {
        href: { validate: requireSafeHref },
        title: { default: null },
      },
      inclusive: false,
      parseDOM: [
        {
          tag: 'a[href]',
          getAttrs: (dom: HTMLElement) => {
            const href = safeHref(dom.getAttribute('href') ?? '')
            return href === null ? false : { href, title: dom.getAttribute('title') }
          },
        },
      ],
      toDOM: (mark: Mark): DOMOutputSpec => [
        'a',
        {
          href: safeHref(mark.attrs.href as string) ?? '#',
          title: mark.attrs.title as string | null,
          rel: 'noopener noreferrer nofollow',
          target: '_blank',
        },
        0,
      ],
    },
    strong: {
      parseDOM: [
        { tag: 'strong' },
        { tag: 'b', getAttrs: (node: HTMLElement) => node.style.fontWeight !== 'normal' && null },
        { style: 'font-weight=400', clearMark: (m) => m.type.name === 'strong' },
        { style: 'font-weight', getAttrs: (value: string) => /^(bold(er)?|[5-9]\d{2,})$/.test(value) && null },
      ],
      toDOM: (): DOMOutputSpec => ['strong', 0],
    },
    em: {
      parseDOM: [{ tag: 'i' }, { tag: 'em' }, { style: 'font-style=italic' }],
      toDOM: (): DOMOutputSpec => ['em', 0],
    },
    underline: {
      parseDOM: [{ tag: 'u' }, { style: 'text-decoration=underline' }],
      toDOM: (): DOMOutputSpec => ['u', 0],
    },
  },
})

/** The JSON form of a section body, as ProseMirror's `Node.toJSON` gives it. */
export type SectionJSON = ReturnType<PMNode['toJSON']>

/** A section with one empty paragraph: what a new section starts as. */
export function emptySectionJSON(): SectionJSON {
  return { type: 'doc', content: [{ type: 'paragraph' }] }
}
