import JSZip from 'jszip'
import { DOMParser } from 'linkedom'
import { describe, expect, it } from 'vitest'
import { schema } from '../../../shared/schema.js'
import type { SectionJSON } from '../../../shared/schema.js'
import { docxExport } from '../../../server/export/docxExport.js'
import type { ExportedDocument } from '../../../server/export/exportContent.js'
import { htmlExport } from '../../../server/export/htmlExport.js'
import { directionRuns, isRightToLeft } from '../../../server/export/textDirection.js'

/**
 * Right-to-left text in exports: an Arabic paragraph is a bidi paragraph in
 * Word with its Arabic runs marked right to left, an English one is neither,
 * whatever the language of the section around it; the direction is the one
 * `dir="auto"` gives the paragraph in the editor (its first letter).
 */

const ARABIC = 'تعمل الجمعيات الوطنية مع المهاجرين على طول طرق الهجرة.'
const ENGLISH = 'National Societies work with migrants along migratory routes.'
// Arabic first, with a Latin name and a number inside: a right-to-left paragraph with a left-to-right stretch.
const MIXED = 'يدعم الاتحاد الدولي IFRC الجمعيات الوطنية منذ 1919.'
// Starts with a Latin word, so it reads left to right although most of it is Arabic.
const LATIN_FIRST = 'IFRC: تعمل الجمعيات الوطنية مع المهاجرين'

const text = (value: string, ...marks: SectionJSON[]): SectionJSON => (marks.length > 0 ? { type: 'text', text: value, marks } : { type: 'text', text: value })
const paragraph = (...content: SectionJSON[]): SectionJSON => ({ type: 'paragraph', content })

function exportedDocument(sectionTitle: string, body: SectionJSON): ExportedDocument {
  return {
    id: 'doc',
    title: 'Movement Strategy on Migration',
    exportedAt: new Date('2026-11-27T10:00:00Z'),
    approvedOnly: false,
    sections: [{ id: 'section', title: sectionTitle, status: 'drafting', approval: null, body: schema.nodeFromJSON(body) }],
    appendix: null,
  }
}

interface WordParagraph {
  text: string
  bidi: boolean
  runs: { text: string; rtl: boolean }[]
}

async function wordParagraphs(document: ExportedDocument): Promise<WordParagraph[]> {
  const zip = await JSZip.loadAsync(await docxExport(document))
  const xml = new DOMParser().parseFromString(await zip.file('word/document.xml')!.async('string'), 'text/xml') as unknown as XMLDocument
  return Array.from(xml.getElementsByTagName('w:p'), (element) => {
    const properties = element.getElementsByTagName('w:pPr')[0]
    const runs = Array.from(element.getElementsByTagName('w:r'), (run) => ({
      text: Array.from(run.getElementsByTagName('w:t'), (node) => node.textContent).join(''),
      rtl: run.getElementsByTagName('w:rtl').length > 0,
    })).filter((run) => run.text !== '')
    return {
      text: runs.map((run) => run.text).join(''),
      bidi: properties !== undefined && properties.getElementsByTagName('w:bidi').length > 0,
      runs,
    }
  })
}

describe('the direction of a paragraph', () => {
  it('is that of its first letter, as dir="auto" decides', () => {
    expect(isRightToLeft(ARABIC)).toBe(true)
    expect(isRightToLeft(ENGLISH)).toBe(false)
    expect(isRightToLeft(MIXED)).toBe(true)
    expect(isRightToLeft(LATIN_FIRST)).toBe(false)
    // Digits and punctuation have no direction of their own.
    expect(isRightToLeft('2026 – «الهجرة»')).toBe(true)
    expect(isRightToLeft('2026 – “Migration”')).toBe(false)
    expect(isRightToLeft('שלום')).toBe(true)
    expect(isRightToLeft('')).toBe(false)
  })

  it('cuts text where its letters change direction, spaces and punctuation between taking the paragraph’s', () => {
    expect(directionRuns(ENGLISH, false)).toEqual([{ text: ENGLISH, rightToLeft: false }])
    expect(directionRuns(ARABIC, true)).toEqual([{ text: ARABIC, rightToLeft: true }])
    expect(directionRuns(MIXED, true)).toEqual([
      { text: 'يدعم الاتحاد الدولي ', rightToLeft: true },
      { text: 'IFRC', rightToLeft: false },
      { text: ' الجمعيات الوطنية منذ 1919.', rightToLeft: true },
    ])
    // An Arabic sentence ending in a Latin name still ends with its own full stop.
    expect(directionRuns('شكرًا للاتحاد IFRC.', true)).toEqual([
      { text: 'شكرًا للاتحاد ', rightToLeft: true },
      { text: 'IFRC', rightToLeft: false },
      { text: '.', rightToLeft: true },
    ])
    expect(directionRuns('See «الهجرة» here', false)).toEqual([
      { text: 'See «', rightToLeft: false },
      { text: 'الهجرة', rightToLeft: true },
      { text: '» here', rightToLeft: false },
    ])
    expect(directionRuns(' ', true)).toEqual([{ text: ' ', rightToLeft: true }])
    expect(directionRuns('', false)).toEqual([])
  })
})

describe('the Word export', () => {
  it('makes an Arabic paragraph a bidi paragraph with right-to-left runs, and leaves an English one as it is', async () => {
    const body: SectionJSON = {
      type: 'doc',
      content: [
        paragraph(text(ENGLISH)),
        paragraph(text(ARABIC)),
        paragraph(text('يدعم الاتحاد الدولي '), text('IFRC', { type: 'strong' }), text(' الجمعيات الوطنية منذ 1919.')),
        paragraph(text(LATIN_FIRST)),
        { type: 'heading', attrs: { level: 2 }, content: [text('الأولويات')] },
        { type: 'bullet_list', content: [{ type: 'list_item', content: [paragraph(text('الحماية على طول الطرق'))] }] },
      ],
    }
    const paragraphs = await wordParagraphs(exportedDocument('Trends, priorities and challenges', body))
    const find = (value: string): WordParagraph => paragraphs.find((candidate) => candidate.text === value)!

    expect(find(ENGLISH)).toMatchObject({ bidi: false, runs: [{ text: ENGLISH, rtl: false }] })
    expect(find(ARABIC)).toMatchObject({ bidi: true, runs: [{ text: ARABIC, rtl: true }] })
    expect(find(MIXED)).toMatchObject({
      bidi: true,
      runs: [
        { text: 'يدعم الاتحاد الدولي ', rtl: true },
        { text: 'IFRC', rtl: false },
        { text: ' الجمعيات الوطنية منذ 1919.', rtl: true },
      ],
    })
    expect(find(LATIN_FIRST)).toMatchObject({ bidi: false, runs: [{ text: 'IFRC: ', rtl: false }, { text: 'تعمل الجمعيات الوطنية مع المهاجرين', rtl: true }] })
    expect(find('الأولويات').bidi).toBe(true)
    expect(find('الحماية على طول الطرق').bidi).toBe(true)
    // The English parts of the export around them stay left to right.
    expect(find('Trends, priorities and challenges').bidi).toBe(false)
    expect(find('Movement Strategy on Migration').bidi).toBe(false)
  })

  it('sets an Arabic section title right to left, on the title page and as its heading', async () => {
    const title = 'الاتجاهات والأولويات والتحديات'
    const paragraphs = await wordParagraphs(exportedDocument(title, { type: 'doc', content: [paragraph(text(ENGLISH))] }))
    const heading = paragraphs.find((candidate) => candidate.text === title)!
    expect(heading).toMatchObject({ bidi: true, runs: [{ text: title, rtl: true }] })
    const status = paragraphs.find((candidate) => candidate.text.startsWith(title) && candidate.text !== title)!
    expect(status.bidi).toBe(true)
    expect(status.runs[0]).toEqual({ text: title, rtl: true })
    expect(paragraphs.find((candidate) => candidate.text === ENGLISH)!.bidi).toBe(false)
  })
})

describe('the HTML export', () => {
  it('lets each text block and title find its own direction', () => {
    const body: SectionJSON = { type: 'doc', content: [paragraph(text(ENGLISH)), paragraph(text(ARABIC))] }
    const html = htmlExport(exportedDocument('الاتجاهات', body))
    expect(html).toContain(`<p dir="auto">${ARABIC}</p>`)
    expect(html).toContain(`<p dir="auto">${ENGLISH}</p>`)
    expect(html).toContain('<h2 dir="auto">الاتجاهات</h2>')
    expect(html).toContain('<td dir="auto">الاتجاهات</td>')
  })
})
