import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  TextRun,
  type INumberingOptions,
  type IRunOptions,
  type IParagraphOptions,
  type IParagraphStyleOptions,
  type ParagraphChild,
} from 'docx'
import type { Mark, Node as PMNode } from 'prosemirror-model'
import { safeHref } from '../../shared/links.js'
import {
  INPUT_KIND_NAMES,
  STATUS_NAMES,
  approvalSentence,
  longDate,
  longDateTime,
  type AppendixThread,
  type ExportedDocument,
} from './exportContent.js'
import { directionRuns, isRightToLeft } from './textDirection.js'

/**
 * Names of the paragraph styles the export defines besides Word's own
 * (Title, Heading 1–4, List Paragraph). The import recognises them, so an
 * exported file can be imported again without its title page, approval
 * records or appendix becoming section text.
 */
export const DOCX_STYLES = {
  subtitle: 'Subtitle',
  sectionStatus: 'Section Status',
  approvalRecord: 'Approval Record',
  quote: 'Quote',
  listContinue: 'List Continue',
  appendixHeading: 'Appendix Heading',
  appendixThread: 'Appendix Thread',
} as const

const HEADING_LEVELS = { 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3, 4: HeadingLevel.HEADING_4 } as const
const INDENT_PER_LEVEL = 720 // twentieths of a point: half an inch
const ORDERED_FORMATS = [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN] as const
const LIST_LEVELS = 9

const paragraphStyles: IParagraphStyleOptions[] = [
  { id: 'Subtitle', name: DOCX_STYLES.subtitle, basedOn: 'Normal', next: 'Normal', run: { size: 28, color: '555555' }, paragraph: { spacing: { after: 480 } } },
  { id: 'SectionStatus', name: DOCX_STYLES.sectionStatus, basedOn: 'Normal', run: { size: 22 }, paragraph: { spacing: { after: 80 } } },
  { id: 'ApprovalRecord', name: DOCX_STYLES.approvalRecord, basedOn: 'Normal', next: 'Normal', run: { italics: true, size: 20, color: '1F5C2E' }, paragraph: { spacing: { after: 240 } } },
  { id: 'Quote', name: DOCX_STYLES.quote, basedOn: 'Normal', run: { italics: true }, paragraph: { indent: { left: INDENT_PER_LEVEL } } },
  { id: 'ListContinue', name: DOCX_STYLES.listContinue, basedOn: 'Normal', paragraph: { indent: { left: INDENT_PER_LEVEL } } },
  // Outline level 0: Word's navigation pane lists the appendix beside the sections.
  { id: 'AppendixHeading', name: DOCX_STYLES.appendixHeading, basedOn: 'Normal', next: 'Normal', run: { bold: true, size: 32 }, paragraph: { outlineLevel: 0, spacing: { after: 240 } } },
  { id: 'AppendixThread', name: DOCX_STYLES.appendixThread, basedOn: 'Normal', next: 'Normal', run: { bold: true }, paragraph: { spacing: { before: 240 } } },
]

/** Where a block sits: in how many lists, and whether in a quote. */
interface Context {
  listLevel: number
  quoted: boolean
}

/**
 * Builds the Word file of an export: a title page (title, date, each
 * section's status), then every section with its title as Heading 1, its
 * approval record, and its body in Word's own styles — headings, lists as
 * numbered or bulleted list paragraphs, quotes — and optionally an appendix
 * of open comment threads with their linked conference inputs.
 */
export async function docxExport(document: ExportedDocument): Promise<Buffer> {
  const writer = new DocxWriter()
  const children: Paragraph[] = [...titlePage(document)]
  document.sections.forEach((section, index) => {
    children.push(
      paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: index === 0, keepNext: true }, textRuns(section.title, isRightToLeft(section.title)), section.title),
    )
    if (section.approval) children.push(paragraph({ style: 'ApprovalRecord' }, [new TextRun(approvalSentence(section.approval))]))
    for (const block of blocksOf(section.body)) children.push(...writer.block(block, { listLevel: 0, quoted: false }))
  })
  if (document.sections.length === 0) {
    children.push(paragraph({ pageBreakBefore: true }, [new TextRun('No sections are approved yet.')]))
  }
  if (document.appendix) children.push(...appendix(document.appendix))
  const file = new Document({
    title: document.title,
    creator: 'Drafting Room',
    description: `Exported from Drafting Room on ${longDateTime(document.exportedAt)}`,
    styles: { paragraphStyles },
    numbering: writer.numbering(),
    sections: [{ children }],
  })
  return Packer.toBuffer(file)
}

function blocksOf(node: PMNode): PMNode[] {
  const blocks: PMNode[] = []
  node.forEach((child) => blocks.push(child))
  return blocks
}

function titlePage(document: ExportedDocument): Paragraph[] {
  const scope = document.approvedOnly ? ' (approved sections only)' : ''
  return [
    paragraph({ heading: HeadingLevel.TITLE }, textRuns(document.title, isRightToLeft(document.title)), document.title),
    paragraph({ style: 'Subtitle' }, [new TextRun(`Exported on ${longDate(document.exportedAt)}${scope}`)]),
    ...document.sections.map((section) => {
      const status = section.approval ? `${STATUS_NAMES.approved} on ${longDate(section.approval.at)}` : STATUS_NAMES[section.status]
      const rightToLeft = isRightToLeft(section.title)
      return paragraph({ style: 'SectionStatus' }, [...textRuns(section.title, rightToLeft, { bold: true }), new TextRun(` — ${status}`)], section.title)
    }),
  ]
}

function appendix(threads: AppendixThread[]): Paragraph[] {
  const paragraphs = [paragraph({ style: 'AppendixHeading', pageBreakBefore: true }, [new TextRun('Appendix: open comments')])]
  if (threads.length === 0) paragraphs.push(paragraph({}, [new TextRun('There are no open comment threads.')]))
  for (const thread of threads) {
    const heading = `${thread.section}: “${thread.quote}”`
    paragraphs.push(paragraph({ style: 'AppendixThread', keepNext: true }, textRuns(heading, isRightToLeft(thread.quote)), thread.quote))
    if (thread.suggestion !== null) {
      const rightToLeft = isRightToLeft(thread.suggestion)
      paragraphs.push(paragraph({}, [new TextRun({ text: 'Suggested text: ', bold: true }), ...textRuns(thread.suggestion, rightToLeft)], thread.suggestion))
    }
    for (const comment of thread.comments) {
      const rightToLeft = isRightToLeft(comment.body)
      paragraphs.push(
        paragraph(
          { indent: { left: INDENT_PER_LEVEL / 2 } },
          [...textRuns(`${comment.author} (${longDate(comment.at)}): `, rightToLeft, { bold: true }), ...textRuns(comment.body, rightToLeft)],
          comment.body,
        ),
      )
    }
    for (const input of thread.inputs) {
      paragraphs.push(
        paragraph({ indent: { left: INDENT_PER_LEVEL / 2 } }, [
          new TextRun({ text: 'Linked input: ', italics: true }),
          new TextRun(`${input.title} (${INPUT_KIND_NAMES[input.kind]}, ${input.source})`),
        ]),
      )
    }
  }
  return paragraphs
}

/**
 * A paragraph, set right to left (`<w:bidi/>`) when its text (`text`, if
 * given) reads so: the direction of its first letter that has one, as
 * `dir="auto"` decides in the editor.
 */
function paragraph(options: IParagraphOptions, children: ParagraphChild[], text = ''): Paragraph {
  return new Paragraph({ ...options, children, ...(isRightToLeft(text) ? { bidirectional: true } : {}) })
}

/**
 * `text` as runs with `options`, one per stretch of one direction, those
 * that read right to left marked so (`<w:rtl/>`): Word then shapes and
 * orders them as Arabic or Hebrew, digits and punctuation included.
 * `rightToLeft` is the direction of the paragraph they are in.
 */
function textRuns(text: string, rightToLeft: boolean, options: Omit<IRunOptions, 'text'> = {}): TextRun[] {
  return directionRuns(text, rightToLeft).map((run) => new TextRun({ ...options, text: run.text, ...(run.rightToLeft ? { rightToLeft: true } : {}) }))
}

/** Turns section bodies into Word paragraphs, numbering each ordered list on its own. */
class DocxWriter {
  /** Starting numbers of ordered lists seen, each with its own numbering definition. */
  private readonly starts = new Set<number>()
  private lists = 0

  /** The numbering definitions the written lists refer to. */
  numbering(): INumberingOptions {
    return {
      config: [...this.starts].map((start) => ({
        reference: orderedReference(start),
        levels: Array.from({ length: LIST_LEVELS }, (_, level) => ({
          level,
          format: ORDERED_FORMATS[level % ORDERED_FORMATS.length]!,
          text: `%${level + 1}.`,
          start: level === 0 ? start : 1,
          alignment: AlignmentType.START,
          style: { paragraph: { indent: { left: INDENT_PER_LEVEL * (level + 1), hanging: 360 } } },
        })),
      })),
    }
  }

  block(node: PMNode, context: Context): Paragraph[] {
    switch (node.type.name) {
      case 'paragraph':
        return [this.textBlock(node, context.quoted ? { style: 'Quote' } : context.listLevel > 0 ? this.continuation(context) : {})]
      case 'heading':
        return [this.textBlock(node, { heading: HEADING_LEVELS[node.attrs.level as 2 | 3 | 4] ?? HeadingLevel.HEADING_4, keepNext: true })]
      case 'blockquote':
        return blocksOf(node).flatMap((child) => this.block(child, { ...context, quoted: true }))
      case 'bullet_list':
      case 'ordered_list':
        return this.list(node, context)
      default:
        throw new Error(`The Word export does not handle ${node.type.name} nodes`)
    }
  }

  private list(node: PMNode, context: Context): Paragraph[] {
    const level = Math.min(context.listLevel, LIST_LEVELS - 1)
    let marker: Pick<IParagraphOptions, 'bullet' | 'numbering'>
    if (node.type.name === 'ordered_list') {
      const start = node.attrs.order as number
      this.starts.add(start)
      marker = { numbering: { reference: orderedReference(start), level, instance: ++this.lists } }
    } else {
      marker = { bullet: { level } }
    }
    const inner: Context = { listLevel: context.listLevel + 1, quoted: false }
    return blocksOf(node).flatMap((item) =>
      blocksOf(item).flatMap((child, index) =>
        // An item's first paragraph carries its number or bullet; what follows continues it.
        index === 0 && child.type.name === 'paragraph' ? [this.textBlock(child, marker)] : this.block(child, inner),
      ),
    )
  }

  private continuation(context: Context): IParagraphOptions {
    return { style: 'ListContinue', indent: { left: INDENT_PER_LEVEL * context.listLevel } }
  }

  private textBlock(node: PMNode, options: IParagraphOptions): Paragraph {
    const children: ParagraphChild[] = []
    let link: { href: string; runs: TextRun[] } | null = null
    const closeLink = () => {
      if (link) children.push(new ExternalHyperlink({ link: link.href, children: link.runs }))
      link = null
    }
    const rightToLeft = isRightToLeft(node.textContent)
    node.forEach((inline) => {
      const href = linkOf(inline.marks)
      if (href !== (link?.href ?? null)) closeLink()
      const runs = runsOf(inline, href !== null, rightToLeft)
      if (href === null) {
        children.push(...runs)
      } else {
        link ??= { href, runs: [] }
        link.runs.push(...runs)
      }
    })
    closeLink()
    return paragraph(options, children, node.textContent)
  }
}

function orderedReference(start: number): string {
  return `ordered-from-${start}`
}

function linkOf(marks: readonly Mark[]): string | null {
  const link = marks.find((mark) => mark.type.name === 'link')
  // The schema already refuses other links; checked again because a file leaves our hands.
  return link ? safeHref(link.attrs.href as string) : null
}

// An inline node's runs in a paragraph that reads right to left or not: one per stretch of one direction.
function runsOf(inline: PMNode, inLink: boolean, rightToLeft: boolean): TextRun[] {
  if (inline.type.name === 'hard_break') return [new TextRun({ break: 1 })]
  if (!inline.isText) throw new Error(`The Word export does not handle ${inline.type.name} nodes`)
  const has = (name: string) => inline.marks.some((mark) => mark.type.name === name)
  return textRuns(inline.text ?? '', rightToLeft, {
    bold: has('strong'),
    italics: has('em'),
    ...(has('underline') ? { underline: {} } : {}),
    ...(inLink ? { style: 'Hyperlink' } : {}),
  })
}
