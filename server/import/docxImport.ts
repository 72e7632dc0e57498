import mammoth from 'mammoth'
import { parseHTML } from 'linkedom'
import { DOMParser as ProseMirrorDOMParser, type Node as PMNode } from 'prosemirror-model'
import type { ImportIssue } from '../../shared/exports.js'
import { safeHref } from '../../shared/links.js'
import { schema } from '../../shared/schema.js'
import { DOCX_STYLES } from '../export/docxExport.js'
import { ApiError } from '../http/errors.js'

/** A section read from a Word file: its title and its body in the shared schema. */
export interface ImportedSection {
  title: string
  body: PMNode
}

/** What a Word file holds, as sections, and everything that could not be kept as it was. */
export interface DocxContent {
  sections: ImportedSection[]
  issues: ImportIssue[]
}

/** Longest section title (as the section API accepts). */
const TITLE_MAX = 200
/** Title of the section made of what comes before the first heading. */
const PREAMBLE_TITLE = 'Introduction'
/** Title of the one section a file without headings becomes. */
const UNTITLED_TITLE = 'Imported text'

// Marker classes for paragraphs in our own export's styles, which are not section text.
const TITLE = 'dr-title'
const TITLE_PAGE = 'dr-title-page'
const APPROVAL = 'dr-approval'
const APPENDIX = 'dr-appendix'
const COMMENT_REFERENCE = 'dr-comment'

const STYLE_MAP = [
  'u => u',
  `comment-reference => sup.${COMMENT_REFERENCE}`,
  `p[style-name='Title'] => p.${TITLE}:fresh`,
  `p[style-name='${DOCX_STYLES.subtitle}'] => p.${TITLE_PAGE}:fresh`,
  `p[style-name='${DOCX_STYLES.sectionStatus}'] => p.${TITLE_PAGE}:fresh`,
  `p[style-name='${DOCX_STYLES.approvalRecord}'] => p.${APPROVAL}:fresh`,
  `p[style-name='${DOCX_STYLES.appendixHeading}'] => p.${APPENDIX}:fresh`,
  `p[style-name='${DOCX_STYLES.appendixThread}'] => p:fresh`,
  `p[style-name='${DOCX_STYLES.quote}'] => blockquote > p:fresh`,
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  `p[style-name='${DOCX_STYLES.listContinue}'] => p:fresh`,
]

const parser = ProseMirrorDOMParser.fromSchema(schema)

/**
 * Reads a `.docx` (already checked by `checkDocxPackage`) into sections:
 * the headings of the highest level used become sections, what follows
 * each its body, mapped onto the shared schema with deeper headings
 * renumbered to levels 2–4. Whatever the schema cannot hold — images,
 * tables, footnotes, Word comments, struck-through or raised text, unsafe
 * links, unknown styles — is reported as an issue, never silently dropped.
 * The title page, approval records and appendix of our own Word export are
 * recognised by their styles and reported as left out. Throws a 400 for a
 * file mammoth cannot read or that holds no text.
 */
export async function readDocx(bytes: Buffer): Promise<DocxContent> {
  let converted: Awaited<ReturnType<typeof mammoth.convertToHtml>>
  try {
    converted = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        styleMap: STYLE_MAP,
        externalFileAccess: false,
        // Images are reported and left out: no need to carry their bytes along.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    )
  } catch (error) {
    throw new ApiError(400, 'not_docx', `This file could not be read as a Word document: ${(error as Error).message}`, 'body')
  }
  const { document } = parseHTML(`<!doctype html><html><body>${converted.value}</body></html>`)
  const reader = new SectionReader(document)
  for (const message of converted.messages) reader.report(null, mammothIssue(message.message))
  return reader.read()
}

/** The top-level elements of one future section. */
interface Group {
  title: string
  nodes: Element[]
}

/** Turns mammoth's HTML into sections, collecting issues as it goes. */
class SectionReader {
  private readonly issues: ImportIssue[] = []
  private readonly footnotes = new Map<string, string>()
  private readonly comments = new Map<string, string>()

  constructor(private readonly document: Document) {}

  /** Records an issue found in the section titled `section` (null: outside any section). */
  report(section: string | null, issue: Omit<ImportIssue, 'section'>): void {
    this.issues.push({ ...issue, section })
  }

  read(): DocxContent {
    const top = this.takeNotes(Array.from(this.document.body.children))
    const groups = this.group(top)
    const sections: ImportedSection[] = []
    for (const group of groups) {
      const container = this.document.createElement('div')
      for (const node of group.nodes) container.appendChild(node)
      this.clean(container, group.title)
      const body = parser.parse(container as unknown as globalThis.Node)
      body.check()
      sections.push({ title: group.title, body })
    }
    if (sections.length === 0) throw new ApiError(400, 'empty_docx', 'This Word file holds no text to import', 'body')
    return { sections, issues: this.issues }
  }

  // Footnotes, endnotes and Word comments come last, as lists that mammoth
  // links to; they are taken out here and reported where they are referred to.
  private takeNotes(children: Element[]): Element[] {
    return children.filter((child) => {
      const items = Array.from(child.children)
      if (child.tagName === 'OL' && items.length > 0 && items.every((item) => /^(foot|end)note-/.test(item.id))) {
        for (const item of items) this.footnotes.set(item.id, noteText(item))
        return false
      }
      if (child.tagName === 'DL' && items.some((item) => item.tagName === 'DT' && item.id.startsWith('comment-'))) {
        items.forEach((item, index) => {
          if (item.tagName === 'DT') this.comments.set(item.id, noteText(items[index + 1] ?? item))
        })
        return false
      }
      return true
    })
  }

  /** Splits the top-level elements into sections at the headings of the highest level used. */
  private group(children: Element[]): Group[] {
    const levels = children.map(headingLevel).filter((level): level is number => level !== null)
    const top = levels.length > 0 ? Math.min(...levels) : null
    if (top === null) {
      this.report(null, { element: 'headings', outcome: 'simplified', code: 'no_headings', values: {}, message: 'The file has no headings, so all of its text became one section' })
    }
    const groups: Group[] = []
    const titles = new Set<string>()
    let titlePage = 0
    for (let index = 0; index < children.length; index++) {
      const child = children[index]!
      const marker = child.classList
      if (marker.contains(TITLE) && groups.length === 0) {
        const title = truncate(squash(child.textContent), 120)
        this.report(null, { element: 'title', outcome: 'omitted', code: 'title_omitted', values: { title }, message: `The document title “${title}” was not imported; the document keeps its own title` })
        continue
      }
      if (marker.contains(TITLE_PAGE) && groups.length === 0) {
        titlePage++
        continue
      }
      if (marker.contains(APPROVAL)) {
        const text = truncate(squash(child.textContent), 80)
        this.report(groups.at(-1)?.title ?? null, {
          element: 'approval record',
          outcome: 'omitted',
          code: 'approval_record_omitted',
          values: { text },
          message: `An approval record was not imported (“${text}”); imported text is approved anew`,
        })
        continue
      }
      if (marker.contains(APPENDIX)) {
        const count = children.length - index - 1
        this.report(null, { element: 'appendix', outcome: 'omitted', code: 'appendix_omitted', values: { count }, message: `The appendix of open comments was not imported (${count} paragraphs)` })
        break
      }
      if (top !== null && headingLevel(child) === top) {
        groups.push({ title: this.titleOf(child, titles, groups.length), nodes: [] })
        continue
      }
      if (groups.length === 0) {
        const title = top === null ? UNTITLED_TITLE : PREAMBLE_TITLE
        if (top !== null) {
          this.report(null, { element: 'text before the first heading', outcome: 'simplified', code: 'text_before_heading', values: { title }, message: `The text before the first heading became a section titled “${title}”` })
        }
        titles.add(title.toLowerCase())
        groups.push({ title, nodes: [] })
      }
      // Title-page styles after the title page are ordinary text.
      marker.remove(TITLE, TITLE_PAGE)
      groups.at(-1)!.nodes.push(child)
    }
    if (titlePage > 0) {
      this.report(null, { element: 'title page', outcome: 'omitted', code: 'title_page_omitted', values: { count: titlePage }, message: `The title page (${titlePage} lines: date and section statuses) was not imported` })
    }
    return groups
  }

  private titleOf(heading: Element, taken: Set<string>, index: number): string {
    let title = squash(heading.textContent)
    if (title === '') {
      title = `Untitled section ${index + 1}`
      this.report(null, { element: 'heading', outcome: 'simplified', code: 'empty_heading', values: { title }, message: `An empty heading became the section “${title}”` })
    }
    if (title.length > TITLE_MAX) {
      const long = title
      title = truncate(title, TITLE_MAX)
      const text = truncate(long, 80)
      this.report(null, {
        element: 'heading',
        outcome: 'simplified',
        code: 'heading_shortened',
        values: { text, limit: TITLE_MAX },
        message: `The heading “${text}” is longer than ${TITLE_MAX} characters and was shortened`,
      })
    }
    const base = title
    for (let copy = 2; taken.has(title.toLowerCase()); copy++) title = `${truncate(base, TITLE_MAX - 5)} (${copy})`
    if (title !== base) this.report(null, { element: 'heading', outcome: 'simplified', code: 'duplicate_heading', values: { title: base, newTitle: title }, message: `A second section titled “${base}” was named “${title}”` })
    taken.add(title.toLowerCase())
    return title
  }

  /** Turns what the schema cannot hold into what it can, reporting each change. */
  private clean(container: Element, section: string): void {
    const top = Math.min(...Array.from(container.querySelectorAll('h1,h2,h3,h4,h5,h6'), (heading) => Number(heading.tagName[1])), 7)
    for (const element of Array.from(container.querySelectorAll('*'))) {
      // Skip what an earlier step took out (the link inside a removed footnote reference).
      if (!container.contains(element)) continue
      const tag = element.tagName.toLowerCase()
      const text = truncate(squash(element.textContent), 80)
      switch (tag) {
        case 'h1':
        case 'h2':
        case 'h3':
        case 'h4':
        case 'h5':
        case 'h6': {
          // The section's own headings start at level 2; the schema stops at 4.
          const wanted = Number(tag[1]) - top + 2
          const level = Math.min(wanted, 4)
          if (wanted > 4) this.report(section, { element: 'heading', outcome: 'simplified', code: 'heading_too_deep', values: { text, level: 4 }, message: `The heading “${text}” is nested deeper than the editor allows and became a level 4 heading` })
          if (level !== Number(tag[1])) this.retag(element, `h${level}`)
          break
        }
        case 'img': {
          const alt = element.getAttribute('alt')
          const described = alt ? truncate(alt, 80) : ''
          this.report(section, {
            element: 'image',
            outcome: 'omitted',
            code: 'image_omitted',
            values: { hasAlt: described ? 'yes' : 'no', alt: described },
            message: described ? `An image (“${described}”) was left out: the editor holds text only` : 'An image was left out: the editor holds text only',
          })
          const parent = element.parentElement
          element.remove()
          // A paragraph that held only the image would stay behind empty.
          if (parent?.tagName === 'P' && parent.childNodes.length === 0) parent.remove()
          break
        }
        case 'table': {
          const cells = Array.from(element.querySelectorAll('td,th'))
          const preview = truncate(cells.map((cell) => squash(cell.textContent)).join(' | '), 80)
          this.report(section, { element: 'table', outcome: 'simplified', code: 'table_flattened', values: { text: preview }, message: `A table (“${preview}”) became one paragraph per cell` })
          for (const cell of cells) {
            if (Array.from(cell.children).some((child) => BLOCK_TAGS.has(child.tagName))) {
              element.before(...Array.from(cell.childNodes))
            } else {
              const paragraph = this.document.createElement('p')
              paragraph.append(...Array.from(cell.childNodes))
              element.before(paragraph)
            }
          }
          element.remove()
          break
        }
        case 's':
        case 'del':
        case 'strike':
          this.report(section, { element: 'strikethrough', outcome: 'simplified', code: 'strikethrough_kept', values: { text }, message: `Struck-through text “${text}” was kept as ordinary text: check whether it should be deleted` })
          unwrap(element)
          break
        case 'sup':
        case 'sub':
          if (this.takeReference(element, section)) break
          this.report(section, {
            element: tag === 'sup' ? 'superscript' : 'subscript',
            outcome: 'simplified',
            code: tag === 'sup' ? 'superscript_kept' : 'subscript_kept',
            values: { text },
            message: `${tag === 'sup' ? 'Superscript' : 'Subscript'} text “${text}” was kept as ordinary text`,
          })
          unwrap(element)
          break
        case 'a':
          this.cleanLink(element, text, section)
          break
        default:
          break
      }
    }
  }

  /** Removes a footnote or comment reference, reporting what it pointed to; false if it is none. */
  private takeReference(element: Element, section: string): boolean {
    const href = element.querySelector('a')?.getAttribute('href') ?? ''
    const id = href.slice(1)
    const footnote = this.footnotes.get(id)
    const comment = element.classList.contains(COMMENT_REFERENCE) ? this.comments.get(id) : undefined
    if (footnote === undefined && comment === undefined) return false
    if (footnote !== undefined) {
      const text = truncate(footnote, 120)
      this.report(section, { element: 'footnote', outcome: 'omitted', code: 'footnote_omitted', values: { text }, message: `A footnote was left out: “${text}”` })
    } else {
      const text = truncate(comment!, 120)
      this.report(section, {
        element: 'Word comment',
        outcome: 'omitted',
        code: 'word_comment_omitted',
        values: { text },
        message: `A Word comment was left out (add it as a comment in Drafting Room): “${text}”`,
      })
    }
    element.remove()
    return true
  }

  private cleanLink(element: Element, text: string, section: string): void {
    const href = element.getAttribute('href')
    if (href === null) {
      // A bookmark: a place a link can point to, with nothing to show.
      unwrap(element)
    } else if (href.startsWith('#')) {
      this.report(section, { element: 'link', outcome: 'simplified', code: 'internal_link_kept', values: { text }, message: `The link “${text}” to another place in the file was kept as text` })
      unwrap(element)
    } else if (safeHref(href) === null) {
      this.report(section, { element: 'link', outcome: 'simplified', code: 'unsafe_link_kept', values: { text }, message: `The link “${text}” was kept as text: only http, https and mailto links are allowed` })
      unwrap(element)
    }
  }

  private retag(element: Element, tag: string): void {
    const replacement = this.document.createElement(tag)
    replacement.append(...Array.from(element.childNodes))
    element.replaceWith(replacement)
  }
}

const BLOCK_TAGS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'BLOCKQUOTE', 'TABLE'])

function headingLevel(element: Element): number | null {
  const match = /^H([1-6])$/.exec(element.tagName)
  return match ? Number(match[1]) : null
}

function unwrap(element: Element): void {
  element.replaceWith(...Array.from(element.childNodes))
}

function noteText(element: Element): string {
  // Mammoth ends each note with a "↑" link back to its reference.
  return squash(element.textContent).replace(/\s*↑$/, '')
}

function squash(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim()
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`
}

/** A warning of mammoth's as an import issue. */
function mammothIssue(message: string): Omit<ImportIssue, 'section'> {
  const style = /^Unrecognised (paragraph|run) style: '(.*)' \(Style ID: (.*)\)$/.exec(message)
  if (style) {
    const kind = style[1]!
    const name = style[2] === 'null' ? style[3]! : style[2]!
    return {
      element: 'style',
      outcome: 'simplified',
      code: 'style_unmapped',
      values: { kind, name },
      message: `The ${kind} style “${name}” has no equivalent in the editor; its text became ordinary ${kind === 'paragraph' ? 'paragraphs' : 'text'}`,
    }
  }
  // Mammoth's own words, in English, as it gives them.
  return { element: 'other', outcome: 'simplified', code: 'other', values: { detail: message }, message: `Word content the editor cannot show: ${message}` }
}
