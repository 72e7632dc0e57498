import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import JSZip from 'jszip'
import MarkdownIt from 'markdown-it'
import { DOMParser, parseHTML } from 'linkedom'
import * as Y from 'yjs'
import type { AuditEntryView, DocumentView } from '../../../shared/api.js'
import { anchorInText, textNodesOf } from '../../../shared/anchors.js'
import type { DocumentContentView } from '../../../shared/exports.js'
import type { InputView } from '../../../shared/inputs.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { RICH_HEADING, RICH_LIST_ITEMS, RICH_SECTION, textBlocks, writeSection } from './richSection.js'

/**
 * Exports of the demo document, with one section holding every node and
 * mark of the schema and one approved section, read back as a Word
 * package, through a Markdown parser and as an HTML page.
 */
let server: TestServer
const cookies: Record<string, string> = {}
let document: DocumentView
let content: DocumentContentView
let client: CollabClient
let approvedId: string

beforeAll(async () => {
  server = await startTestServer()
  for (const role of ['drafter', 'reviewer', 'approver', 'admin']) cookies[role] = (await server.login(role)).cookie
  document = await server.demoDocument(cookies.drafter!)
  client = connectClient(server.wsUrl, document.sections[1]!.id, cookies.drafter!)
  await client.synced()
  await writeSection(client, RICH_SECTION)
  approvedId = document.sections[3]!.id
  expect((await call('drafter', `/api/sections/${approvedId}/submit`, 'POST')).status).toBe(200)
  expect((await call('approver', `/api/sections/${approvedId}/approve`, 'POST')).status).toBe(200)
  document = await server.demoDocument(cookies.drafter!)
  content = (await (await call('reviewer', `/api/documents/${document.id}/content`)).json()) as DocumentContentView
})

afterAll(async () => {
  client.destroy()
  await server.close()
})

async function call(who: string, path: string, method = 'GET', body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: cookies[who]!, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function exported(query: string, who = 'reviewer'): Promise<Response> {
  const response = await call(who, `/api/documents/${document.id}/export?${query}`)
  expect(response.status, await response.clone().text()).toBe(200)
  return response
}

interface WordParagraph {
  style: string | null
  text: string
  numbered: boolean
  rightToLeft: boolean
}

async function wordParagraphs(bytes: ArrayBuffer): Promise<{ zip: JSZip; paragraphs: WordParagraph[] }> {
  const zip = await JSZip.loadAsync(bytes)
  const xml = new DOMParser().parseFromString(await zip.file('word/document.xml')!.async('string'), 'text/xml') as unknown as XMLDocument
  const paragraphs = Array.from(xml.getElementsByTagName('w:p'), (paragraph) => ({
    style: paragraph.getElementsByTagName('w:pStyle')[0]?.getAttribute('w:val') ?? null,
    text: Array.from(paragraph.getElementsByTagName('w:t'), (text) => text.textContent).join(''),
    numbered: paragraph.getElementsByTagName('w:numPr').length > 0,
    rightToLeft: paragraph.getElementsByTagName('w:bidi').length > 0,
  }))
  return { zip, paragraphs }
}

const approval = () => document.sections.find((section) => section.id === approvedId)!.approval!

describe('the whole-document view', () => {
  it('gives every section in order with its status, approval and text', () => {
    expect(content.title).toBe('Movement Strategy on Migration')
    expect(content.sections.map((section) => section.title)).toEqual(document.sections.map((section) => section.title))
    expect(content.sections[1]!.content).toEqual(RICH_SECTION)
    expect(content.sections[3]).toMatchObject({ status: 'approved', approval: { by: 'Elif Demir, Turkish Red Crescent', hash: approval().hash } })
    expect(content.sections[0]).toMatchObject({ status: 'drafting', approval: null })
  })
})

describe('the Word export', () => {
  it('is a valid Office Open XML package with headings as heading styles, lists as list paragraphs and every section in order', async () => {
    const response = await exported('format=docx')
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?movement-strategy-on-migration-\d{4}-\d{2}-\d{2}\.docx"?$/)
    const { zip, paragraphs } = await wordParagraphs(await response.arrayBuffer())
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/styles.xml', 'word/numbering.xml', 'word/_rels/document.xml.rels']) {
      expect(zip.file(part), part).not.toBeNull()
    }
    expect(await zip.file('[Content_Types].xml')!.async('string')).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml')
    const styles = await zip.file('word/styles.xml')!.async('string')
    for (const style of ['Heading1', 'Heading2', 'ListParagraph', 'Quote', 'ApprovalRecord']) expect(styles).toContain(`w:styleId="${style}"`)

    // Title page: the title, the date, and each section's status.
    expect(paragraphs[0]).toMatchObject({ style: 'Title', text: 'Movement Strategy on Migration' })
    expect(paragraphs[1]!.text).toMatch(/^Exported on \d{1,2} \w+ \d{4}$/)
    const statuses = paragraphs.filter((paragraph) => paragraph.style === 'SectionStatus').map((paragraph) => paragraph.text)
    expect(statuses).toHaveLength(document.sections.length)
    document.sections.forEach((section, index) => {
      expect(statuses[index]).toContain(`${section.title} — ${section.status === 'approved' ? 'Approved on ' : 'In drafting'}`)
    })

    expect(paragraphs.filter((paragraph) => paragraph.style === 'Heading1').map((paragraph) => paragraph.text)).toEqual(document.sections.map((section) => section.title))
    expect(paragraphs.filter((paragraph) => paragraph.style === 'Heading2').map((paragraph) => paragraph.text)).toEqual([RICH_HEADING])
    expect(paragraphs.filter((paragraph) => paragraph.style === 'ListParagraph' && paragraph.numbered).map((paragraph) => paragraph.text)).toEqual(RICH_LIST_ITEMS)
    expect(paragraphs.filter((paragraph) => paragraph.style === 'Quote').map((paragraph) => paragraph.text)).toEqual(['No one should be left behind.'])
    expect(paragraphs.find((paragraph) => paragraph.text.startsWith('تعمل'))!.rightToLeft).toBe(true)
    expect(paragraphs.find((paragraph) => paragraph.text.startsWith('Armed conflict'))!.rightToLeft).toBe(false)

    // Every section's text, in order, each under its own heading.
    const texts = paragraphs.map((paragraph) => paragraph.text)
    let at = texts.indexOf(document.sections[0]!.title)
    for (const section of content.sections) {
      const heading = texts.indexOf(section.title, at)
      expect(heading, section.title).toBeGreaterThanOrEqual(at)
      at = heading
      for (const [, text] of textBlocks(section.content)) {
        const found = texts.indexOf(text.replace('\n', ''), at)
        expect(found, text).toBeGreaterThan(at)
        at = found
      }
    }

    // The approved section carries its approval record, and links stay links.
    const approvedHeading = paragraphs.findIndex((paragraph) => paragraph.style === 'Heading1' && paragraph.text === content.sections[3]!.title)
    expect(paragraphs[approvedHeading + 1]).toMatchObject({ style: 'ApprovalRecord', text: expect.stringContaining(`Approved by Elif Demir, Turkish Red Crescent on`) })
    expect(paragraphs[approvedHeading + 1]!.text).toContain(approval().hash)
    const relationships = await zip.file('word/_rels/document.xml.rels')!.async('string')
    expect(relationships).toMatch(/Target="https:\/\/www\.ifrc\.org\/" TargetMode="External"/)
  })

  it('can hold only the approved sections, and an appendix of open comments with their linked inputs', async () => {
    const approvedOnly = await wordParagraphs(await (await exported('format=docx&approvedOnly=true')).arrayBuffer())
    expect(approvedOnly.paragraphs.filter((paragraph) => paragraph.style === 'Heading1').map((paragraph) => paragraph.text)).toEqual([content.sections[3]!.title])
    expect(approvedOnly.paragraphs[1]!.text).toContain('(approved sections only)')

    const sectionId = document.sections[0]!.id
    const stored = new Y.Doc()
    Y.applyUpdate(stored, (await server.server.store.load(sectionId))!)
    const text = textNodesOf(stored.getXmlFragment('prosemirror'))[0]!
    const from = text.toString().indexOf('reduce the risks')
    const inputs = (await (await call('drafter', `/api/inputs?documentId=${document.id}`)).json()) as InputView[]
    const thread = await call('reviewer', `/api/sections/${sectionId}/threads`, 'POST', {
      anchor: anchorInText(text, from, from + 'reduce the risks'.length),
      body: 'Name the risks explicitly.',
      inputIds: [inputs[0]!.id],
    })
    expect(thread.status).toBe(201)
    const { paragraphs } = await wordParagraphs(await (await exported('format=docx&appendix=true')).arrayBuffer())
    const appendix = paragraphs.findIndex((paragraph) => paragraph.style === 'AppendixHeading')
    expect(paragraphs[appendix]!.text).toBe('Appendix: open comments')
    const rest = paragraphs.slice(appendix).map((paragraph) => paragraph.text)
    expect(rest).toContain(`${document.sections[0]!.title}: “reduce the risks”`)
    expect(rest.some((line) => line.startsWith('Tomasz Nowak, Polish Red Cross') && line.endsWith('Name the risks explicitly.'))).toBe(true)
    expect(rest.some((line) => line.startsWith(`Linked input: ${inputs[0]!.title} (`))).toBe(true)
  })
})

describe('the Markdown export', () => {
  it('round-trips through a Markdown parser to the same headings and paragraphs', async () => {
    const response = await exported('format=md')
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?movement-strategy-on-migration-[\d-]+\.md"?$/)
    const markdown = await response.text()
    const tokens = new MarkdownIt('commonmark').parse(markdown, {})
    const blocks: [string, string][] = []
    tokens.forEach((token, index) => {
      if (token.type !== 'heading_open' && token.type !== 'paragraph_open') return
      const inline = tokens[index + 1]!.children ?? []
      const text = inline.map((child) => (child.type === 'text' ? child.content : child.type === 'hardbreak' ? '\n' : child.type === 'softbreak' ? ' ' : '')).join('')
      blocks.push([token.type === 'heading_open' ? token.tag : 'p', text])
    })
    expect(blocks[0]).toEqual(['h1', 'Movement Strategy on Migration'])
    const expected: [string, string][] = []
    for (const section of content.sections) {
      expected.push(['h2', section.title])
      if (section.approval) expected.push(['p', expect.stringMatching(new RegExp(`^Approved by Elif Demir, Turkish Red Crescent on .*${section.approval.hash}\\.$`)) as unknown as string])
      expected.push(...textBlocks(section.content, 1))
    }
    expect(blocks.slice(blocks.findIndex(([tag]) => tag === 'h2'))).toEqual(expected)
    // Underline has no Markdown of its own; text never turns into HTML.
    expect(markdown).toContain('<u>Europe</u>')
    expect(markdown).toContain('[the IFRC](https://www.ifrc.org/)')
    expect(new MarkdownIt('commonmark').render(markdown)).not.toContain('<script>')
  })
})

describe('the HTML export', () => {
  it('is a standalone page with print styles, escaped text, safe links and dir="auto" on text blocks', async () => {
    const response = await exported('format=html')
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?movement-strategy-on-migration-[\d-]+\.html"?$/)
    const html = await response.text()
    const page = parseHTML(html).document
    expect(page.title).toBe('Movement Strategy on Migration')
    expect(page.querySelector('h1')!.textContent).toBe('Movement Strategy on Migration')
    expect(Array.from(page.querySelectorAll('main h2'), (heading) => heading.textContent)).toEqual(document.sections.map((section) => section.title))
    expect(page.querySelector('main h3')!.textContent).toBe(RICH_HEADING)
    expect(page.querySelectorAll('script')).toHaveLength(0)
    expect(page.querySelectorAll('link, img, iframe')).toHaveLength(0)
    expect(Array.from(page.querySelectorAll('main p')).some((paragraph) => paragraph.textContent!.includes('Second line <script>alert(1)</script> & more.'))).toBe(true)
    expect(Array.from(page.querySelectorAll('a'), (link) => link.getAttribute('href'))).toEqual(['https://www.ifrc.org/'])
    for (const block of page.querySelectorAll('main p, main h2, main h3, main li')) expect(block.getAttribute('dir')).toBe('auto')
    expect(Array.from(page.querySelectorAll('main li'), (item) => item.querySelector('p')!.textContent)).toEqual(RICH_LIST_ITEMS)
    expect(page.querySelector('blockquote p')!.textContent).toBe('No one should be left behind.')
    expect(page.querySelector('.approval')!.textContent).toContain(approval().hash)
    expect(page.querySelector('style')!.textContent).toContain('@media print')
  })

  it('never carries a link the schema refuses, even one written into storage behind the relay’s back', async () => {
    const sectionId = document.sections[6]!.id
    const doc = new Y.Doc()
    Y.applyUpdate(doc, (await server.server.store.load(sectionId))!)
    const before = Y.encodeStateVector(doc)
    const text = textNodesOf(doc.getXmlFragment('prosemirror'))[0]!
    text.insert(0, 'Click me', { link: { href: 'javascript:alert(1)', title: null } })
    await server.server.store.append(sectionId, [{ update: Y.encodeStateAsUpdate(doc, before), author: 'system', at: Date.now() }])
    for (const format of ['html', 'md', 'docx']) {
      const body = Buffer.from(await (await exported(`format=${format}`)).arrayBuffer())
      const readable = format === 'docx' ? await (await JSZip.loadAsync(body)).file('word/_rels/document.xml.rels')!.async('string') : body.toString()
      expect(readable, format).not.toContain('javascript:')
    }
  })
})

describe('exports', () => {
  it('read the stored text and never write to it, and are recorded in the audit log', async () => {
    const seqs = async () => Promise.all(document.sections.map((section) => server.server.store.lastSeq(section.id)))
    const before = await seqs()
    const count = async () => ((await (await call('admin', `/api/audit?action=document_exported&target=${document.id}&limit=500`)).json()) as AuditEntryView[]).length
    const audited = await count()
    for (const format of ['docx', 'md', 'html']) await exported(`format=${format}&approvedOnly=false&appendix=true`, 'approver')
    expect(await seqs()).toEqual(before)
    expect(client.json()).toEqual(RICH_SECTION)
    expect(await count()).toBe(audited + 3)
    const [latest] = (await (await call('admin', `/api/audit?action=document_exported&limit=1`)).json()) as AuditEntryView[]
    expect(latest).toMatchObject({ actor: 'Elif Demir', target: { type: 'document', id: document.id }, details: expect.stringMatching(/^html, 8 sections, with open comments$/) })
  })

  it('answer bad input with a 400 that names the field, an unknown document with a 404 and no session with a 401', async () => {
    const field = async (query: string) => {
      const response = await call('reviewer', `/api/documents/${document.id}/export?${query}`)
      expect(response.status).toBe(400)
      return (await response.json()).error as { field: string; message: string }
    }
    expect(await field('format=pdf')).toMatchObject({ field: 'format', message: 'format: must be docx, md or html' })
    expect((await field('')).field).toBe('format')
    expect((await field('format=md&approvedOnly=yes')).field).toBe('approvedOnly')
    expect((await field('format=md&appendix=1')).field).toBe('appendix')
    expect((await call('reviewer', '/api/documents/nope/export?format=md')).status).toBe(404)
    expect((await call('reviewer', '/api/documents/nope/content')).status).toBe(404)
    expect((await fetch(`${server.url}/api/documents/${document.id}/export?format=md`)).status).toBe(401)
    expect((await fetch(`${server.url}/api/documents/${document.id}/content`)).status).toBe(401)
  })
})
