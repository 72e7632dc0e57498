import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import JSZip from 'jszip'
import { Document, ExternalHyperlink, FootnoteReferenceRun, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx'
import type { AuditEntryView, UserView } from '../../../shared/api.js'
import type { DocumentContentView, ImportPreview, ImportResult } from '../../../shared/exports.js'
import type { VersionView } from '../../../shared/versions.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { waitFor } from '../../helpers/waitFor.js'
import { RICH_SECTION, writeSection } from '../export/richSection.js'

/**
 * Importing Word drafts through the real server: our own export comes back
 * as the same sections and text, foreign content is reported, and anything
 * that is not a .docx is refused with a message that says so.
 */
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
let server: TestServer
const cookies: Record<string, string> = {}
let lena: UserView
let documentId: string
let exportedFile: Buffer
let original: DocumentContentView
const clients: CollabClient[] = []

beforeAll(async () => {
  server = await startTestServer()
  for (const role of ['drafter', 'reviewer', 'approver', 'admin']) cookies[role] = (await server.login(role)).cookie
  lena = (await server.login('drafter')).user
  const document = await server.demoDocument(cookies.drafter!)
  documentId = document.id
  const client = await connect(document.sections[1]!.id)
  await writeSection(client, RICH_SECTION)
  original = await content()
  const response = await call('reviewer', 'GET', `/api/documents/${documentId}/export?format=docx`)
  exportedFile = Buffer.from(await response.arrayBuffer())
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.close()
})

async function call(who: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: cookies[who]!, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function upload(path: 'import' | 'import/preview', file: Buffer | string, who = 'drafter', type = DOCX_TYPE): Promise<Response> {
  const body = typeof file === 'string' ? file : new Uint8Array(file)
  return fetch(`${server.url}/api/documents/${documentId}/${path}`, { method: 'POST', headers: { cookie: cookies[who]!, 'content-type': type }, body })
}

async function json<T>(response: Response, status = 200): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status)
  return (await response.json()) as T
}

async function content(): Promise<DocumentContentView> {
  return json<DocumentContentView>(await call('reviewer', 'GET', `/api/documents/${documentId}/content`))
}

async function connect(sectionId: string): Promise<CollabClient> {
  const client = connectClient(server.wsUrl, sectionId, cookies.drafter!)
  clients.push(client)
  await client.synced()
  return client
}

async function expectRefusal(response: Response, status: number, message: RegExp): Promise<void> {
  expect(response.status).toBe(status)
  const { error } = (await response.json()) as { error: { message: string } }
  expect(error.message).toMatch(message)
}

describe('importing our own Word export', () => {
  it('gives back the same sections and text', async () => {
    const preview = await json<ImportPreview>(await upload('import/preview', exportedFile))
    // Over the document it came from, it changes nothing.
    expect(preview.sections.map((section) => [section.title, section.action])).toEqual(original.sections.map((section) => [section.title, 'unchanged']))
    preview.sections.forEach((section, index) => expect(section.content, section.title).toEqual(original.sections[index]!.content))
    expect(preview.issues.map((issue) => [issue.element, issue.outcome, issue.code])).toEqual([
      ['title', 'omitted', 'title_omitted'],
      ['title page', 'omitted', 'title_page_omitted'],
    ])
    // The title the message quotes, and the lines it counts, for the interface to word in its language.
    expect(preview.issues[0]!.values).toEqual({ title: original.title })
    expect(preview.issues[0]!.message).toBe(`The document title “${original.title}” was not imported; the document keeps its own title`)
    expect(preview.issues[1]!.values).toEqual({ count: expect.any(Number) })
    expect(preview.issues[1]!.message).toContain(`(${preview.issues[1]!.values.count} lines: date and section statuses)`)

    // Into an empty document: the import creates every section again.
    for (const section of original.sections) expect((await call('admin', 'DELETE', `/api/sections/${section.id}`)).status).toBe(204)
    expect((await content()).sections).toEqual([])
    const result = await json<ImportResult>(await upload('import', exportedFile))
    expect(result.created.map((section) => section.title)).toEqual(original.sections.map((section) => section.title))
    expect(result.replaced).toEqual([])
    const imported = await content()
    expect(imported.sections.map((section) => [section.title, section.status, section.content])).toEqual(
      original.sections.map((section) => [section.title, 'drafting', section.content]),
    )
    // The new text is the importer's, as the server recorded it.
    const history = await server.server.store.history(imported.sections[1]!.id)
    expect(history.map((entry) => entry.author)).toEqual([lena.id])
    const audit = await json<AuditEntryView[]>(await call('admin', 'GET', `/api/audit?action=document_imported&target=${documentId}`))
    expect(audit[0]).toMatchObject({ actor: 'Lena Karlsson', details: `${original.sections.length} sections created, 0 replaced, 0 unchanged, 2 issues reported` })
  })

  it("replaces the text of sections with the same title as the importer's edit, which every open editor receives", async () => {
    const sections = (await content()).sections
    const editor = await connect(sections[0]!.id)
    const watcher = await connect(sections[0]!.id)
    const text = (editor.fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText
    text.insert(0, 'A change to undo. ')
    await editor.saved()
    const result = await json<ImportResult>(await upload('import', exportedFile, 'admin'))
    expect(result.created).toEqual([])
    expect(result.replaced).toEqual([{ id: sections[0]!.id, title: sections[0]!.title }])
    expect(result.unchanged.map((section) => section.id)).toEqual(sections.slice(1).map((section) => section.id))
    for (const client of [editor, watcher]) await waitFor(() => !client.text().includes('A change to undo.'), { message: 'the imported text' })
    expect(watcher.json()).toEqual(original.sections[0]!.content)
    // The text it replaced is kept as a version, so the import can be undone.
    const versions = await json<VersionView[]>(await call('reviewer', 'GET', `/api/sections/${sections[0]!.id}/versions`))
    expect(versions[0]).toMatchObject({ kind: 'auto', label: 'Before importing a Word file', createdBy: { name: 'Amina Haddad' } })
    // Sections whose text already is the file's are not touched.
    expect(await server.server.store.history(sections[1]!.id)).toHaveLength(1)
  })

  it('is refused, before anything changes, when it would replace an approved section', async () => {
    const sections = (await content()).sections
    const locked = sections[2]!
    const editor = await connect(locked.id)
    ;((editor.fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'As approved: ')
    await editor.saved()
    expect((await call('drafter', 'POST', `/api/sections/${locked.id}/submit`)).status).toBe(200)
    expect((await call('approver', 'POST', `/api/sections/${locked.id}/approve`)).status).toBe(200)
    const preview = await json<ImportPreview>(await upload('import/preview', exportedFile))
    expect(preview.sections[2]).toMatchObject({ action: 'refused', sectionId: locked.id, refusal: `"${locked.title}" is approved and locked; reopen it before importing over it` })
    const seqs = async () => Promise.all(sections.map((section) => server.server.store.lastSeq(section.id)))
    const before = await seqs()
    await expectRefusal(await upload('import', exportedFile), 409, new RegExp(`^"${locked.title}" is approved and locked; reopen it before importing over it`))
    expect(await seqs()).toEqual(before)
  })
})

describe('a Word draft with more than the editor holds', () => {
  it('becomes sections at its top-level headings, and reports everything it could not keep', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
    const file = await Packer.toBuffer(
      new Document({
        footnotes: { 1: { children: [new Paragraph('Figures from the 2023 survey.')] } },
        sections: [
          {
            children: [
              new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('Draft strategy, third reading')] }),
              new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Routes and risks')] }),
              new Paragraph({ children: [new TextRun('Most migrants travel overland.'), new FootnoteReferenceRun(1), new TextRun({ text: ' Obsolete claim.', strike: true })] }),
              new Paragraph({ children: [new ImageRun({ type: 'png', data: png, transformation: { width: 10, height: 10 }, altText: { name: 'Map', description: 'Map of the routes', title: 'Map' } })] }),
              new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Along the Balkan route')] }),
              new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('Serbia')] }), new TableCell({ children: [new Paragraph('12 000')] })] })] }),
              new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Data protection')] }),
              new Paragraph({ children: [new ExternalHyperlink({ link: 'javascript:alert(1)', children: [new TextRun('a trap')] }), new TextRun(' is kept as text.')] }),
            ],
          },
        ],
      }),
    )
    const preview = await json<ImportPreview>(await upload('import/preview', file))
    expect(preview.sections.map((section) => [section.title, section.action])).toEqual([
      ['Routes and risks', 'create'],
      ['Data protection', 'create'],
    ])
    expect(preview.sections[0]!.content).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Most migrants travel overland. Obsolete claim.' }] },
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Along the Balkan route' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Serbia' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '12 000' }] },
      ],
    })
    expect(preview.sections[1]!.content.content[0].content).toEqual([{ type: 'text', text: 'a trap is kept as text.' }])
    expect(preview.issues.map((issue) => [issue.element, issue.section, issue.outcome])).toEqual([
      ['title', null, 'omitted'],
      ['footnote', 'Routes and risks', 'omitted'],
      ['strikethrough', 'Routes and risks', 'simplified'],
      ['image', 'Routes and risks', 'omitted'],
      ['table', 'Routes and risks', 'simplified'],
      ['link', 'Data protection', 'simplified'],
    ])
    expect(preview.issues[1]!.message).toContain('Figures from the 2023 survey.')
    expect(preview.issues[3]!.message).toContain('Map of the routes')
    // Each with a code and the values its message quotes, for the interface to translate.
    expect(preview.issues.map((issue) => issue.code)).toEqual(['title_omitted', 'footnote_omitted', 'strikethrough_kept', 'image_omitted', 'table_flattened', 'unsafe_link_kept'])
    expect(preview.issues[0]!.values).toEqual({ title: 'Draft strategy, third reading' })
    expect(preview.issues[1]!.values).toEqual({ text: 'Figures from the 2023 survey.' })
    expect(preview.issues[2]!.values).toEqual({ text: 'Obsolete claim.' })
    expect(preview.issues[3]!.values).toEqual({ hasAlt: 'yes', alt: 'Map of the routes' })
    expect(preview.issues[4]!.values).toEqual({ text: 'Serbia | 12 000' })
    expect(preview.issues[5]!.values).toEqual({ text: 'a trap' })
    // A preview changes nothing.
    expect((await content()).sections.map((section) => section.title)).not.toContain('Routes and risks')
  })
})

describe('what is not a Word file, or not allowed', () => {
  it('refuses anything but a .docx with a 400 that says what it is', async () => {
    await expectRefusal(await upload('import/preview', 'Just some notes', 'drafter', 'text/plain'), 400, /^This file is not a Word document \(\.docx\)/)
    await expectRefusal(await upload('import/preview', ''), 400, /no file in its body/)
    await expectRefusal(await call('drafter', 'POST', `/api/documents/${documentId}/import/preview`, { sections: [] }), 400, /^Send the \.docx file itself/)
    const oldWord = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)])
    await expectRefusal(await upload('import', oldWord), 400, /older Word \.doc file/)
    const zip = new JSZip()
    zip.file('notes.txt', 'not a document')
    await expectRefusal(await upload('import', await zip.generateAsync({ type: 'nodebuffer' })), 400, /has no word\/document\.xml/)
    const broken = new JSZip()
    broken.file('word/document.xml', '<w:document')
    await expectRefusal(await upload('import/preview', await broken.generateAsync({ type: 'nodebuffer' })), 400, /could not be read as a Word document/)
    await expectRefusal(await upload('import/preview', exportedFile.subarray(0, exportedFile.length - 30)), 400, /cut short or damaged/)
    const empty = await Packer.toBuffer(new Document({ sections: [{ children: [] }] }))
    await expectRefusal(await upload('import', empty), 400, /^This Word file holds no text to import$/)
    const response = await upload('import/preview', 'x')
    expect(((await response.json()) as { error: { field: string } }).error.field).toBe('body')
  })

  it('refuses files that are too large, or that would unpack into too much', async () => {
    await expectRefusal(await upload('import/preview', Buffer.alloc(10 * 1024 * 1024 + 1)), 413, /larger than the 10 MB an import may be/)
    // The zip's directory claims its document unpacks to 2 GB: refused before anything is unpacked.
    const bomb = Buffer.from(exportedFile)
    for (let at = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
      const name = bomb.toString('utf8', at + 46, at + 46 + bomb.readUInt16LE(at + 28))
      if (name === 'word/document.xml') bomb.writeUInt32LE(0x7fffffff, at + 24)
    }
    await expectRefusal(await upload('import/preview', bomb), 413, /unpacks to 2049 MB, more than the 64 MB an import may hold/)
  })

  it('lets only drafters and admins import', async () => {
    for (const who of ['reviewer', 'approver']) {
      await expectRefusal(await upload('import/preview', exportedFile, who), 403, /^Only the drafting committee and the secretariat import Word files$/)
      await expectRefusal(await upload('import', exportedFile, who), 403, /import Word files/)
    }
    const anonymous = await fetch(`${server.url}/api/documents/${documentId}/import/preview`, { method: 'POST', headers: { 'content-type': DOCX_TYPE }, body: new Uint8Array(exportedFile) })
    expect(anonymous.status).toBe(401)
    const unknown = await fetch(`${server.url}/api/documents/nope/import/preview`, { method: 'POST', headers: { cookie: cookies.drafter!, 'content-type': DOCX_TYPE }, body: new Uint8Array(exportedFile) })
    expect(unknown.status).toBe(404)
  })
})
