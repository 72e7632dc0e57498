import { MarkdownSerializer, defaultMarkdownSerializer } from 'prosemirror-markdown'
import type { Mark, Node as PMNode } from 'prosemirror-model'
import { safeHref } from '../../shared/links.js'
import { schema } from '../../shared/schema.js'
import {
  INPUT_KIND_NAMES,
  STATUS_NAMES,
  approvalSentence,
  longDate,
  type AppendixThread,
  type ExportedDocument,
} from './exportContent.js'

const defaults = defaultMarkdownSerializer.nodes
const defaultMarks = defaultMarkdownSerializer.marks

/**
 * CommonMark for the shared schema. Section titles are level-2 headings
 * under the document's title, so headings inside a section move one level
 * down. Underline has no Markdown form and is written as `<u>`; `<` and
 * `&` in text are escaped so that no text turns into HTML.
 */
const serializer = new MarkdownSerializer(
  {
    paragraph: defaults.paragraph!,
    heading(state, node) {
      state.write(`${state.repeat('#', (node.attrs.level as number) + 1)} `)
      state.renderInline(node, false)
      state.closeBlock(node)
    },
    blockquote: defaults.blockquote!,
    bullet_list(state, node) {
      state.renderList(node, '  ', () => '- ')
    },
    ordered_list: defaults.ordered_list!,
    list_item: defaults.list_item!,
    hard_break: defaults.hard_break!,
    text: defaults.text!,
  },
  {
    strong: defaultMarks.strong!,
    em: defaultMarks.em!,
    underline: { open: '<u>', close: '</u>', mixable: true, expelEnclosingWhitespace: true },
    link: {
      ...defaultMarks.link!,
      open: (state, mark: Mark, parent: PMNode, index: number) =>
        safeHref(mark.attrs.href as string) === null ? '' : (defaultMarks.link!.open as LinkDelimiter)(state, mark, parent, index),
      close: (state, mark: Mark, parent: PMNode, index: number) =>
        safeHref(mark.attrs.href as string) === null ? '' : (defaultMarks.link!.close as LinkDelimiter)(state, mark, parent, index),
    },
  },
  { escapeExtraCharacters: /[<&]/g },
)

type LinkDelimiter = (state: unknown, mark: Mark, parent: PMNode, index: number) => string

/** The document as CommonMark: title, date and statuses, the sections, and the appendix if asked for. */
export function markdownExport(document: ExportedDocument): string {
  const parts: string[] = [heading(1, document.title)]
  const scope = document.approvedOnly ? ' (approved sections only)' : ''
  parts.push(inline(`Exported on ${longDate(document.exportedAt)}${scope}.`))
  if (document.sections.length > 0) {
    parts.push(
      document.sections
        .map((section) => {
          const status = section.approval ? `${STATUS_NAMES.approved} on ${longDate(section.approval.at)}` : STATUS_NAMES[section.status]
          return `- ${inline(`${section.title}: ${status}`)}`
        })
        .join('\n'),
    )
  } else {
    parts.push(inline('No sections are approved yet.'))
  }
  for (const section of document.sections) {
    parts.push(heading(2, section.title))
    if (section.approval) parts.push(inline(approvalSentence(section.approval), 'em'))
    parts.push(serializer.serialize(section.body, { tightLists: true }).trim())
  }
  if (document.appendix) parts.push(...appendix(document.appendix))
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`
}

function appendix(threads: AppendixThread[]): string[] {
  const parts = [heading(2, 'Appendix: open comments')]
  if (threads.length === 0) parts.push(inline('There are no open comment threads.'))
  for (const thread of threads) {
    parts.push(heading(3, `${thread.section}: “${thread.quote}”`))
    if (thread.suggestion !== null) parts.push(`${inline('Suggested text:', 'strong')} ${inline(thread.suggestion)}`)
    const lines = [
      ...thread.comments.map((comment) => `- ${inline(`${comment.author} (${longDate(comment.at)}):`, 'strong')} ${inline(comment.body)}`),
      ...thread.inputs.map((input) => `- ${inline('Linked input:', 'em')} ${inline(`${input.title} (${INPUT_KIND_NAMES[input.kind]}, ${input.source})`)}`),
    ]
    if (lines.length > 0) parts.push(lines.join('\n'))
  }
  return parts
}

function heading(level: number, text: string): string {
  return `${'#'.repeat(level)} ${inline(text)}`
}

/** `text` escaped as one paragraph of Markdown (line breaks become spaces), optionally with a mark. */
function inline(text: string, mark?: 'em' | 'strong'): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat === '') return ''
  const node = schema.text(flat, mark ? [schema.marks[mark]!.create()] : [])
  return serializer.serialize(schema.node('doc', null, [schema.node('paragraph', null, [node])])).trim()
}
