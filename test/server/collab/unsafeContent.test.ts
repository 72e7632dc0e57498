import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Mark, Node as PMNode } from 'prosemirror-model'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { CloseCode } from '../../../shared/closeCodes.js'
import { safeHref } from '../../../shared/links.js'
import { schema } from '../../../shared/schema.js'
import type { DocumentView } from '../../../shared/api.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'
import { startWitness, storedDoc, tracesOf, type Witness } from '../../helpers/collabProbe.js'

/**
 * Content a client writes straight into the Y.Doc, past the editor's checks:
 * `javascript:` and other unsafe links, and nodes the schema does not know.
 * Either the relay refuses them, or every consumer (the schema, rendering,
 * the server's own views) neutralises them, and the section stays consistent.
 */

let server: TestServer
let document: DocumentView
let cookie: string
const logs: string[] = []
const closers: { destroy(): void }[] = []

const UNSAFE_HREFS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  '\u0000javascript:alert(1)',
  'javascript://%0aalert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
]

beforeAll(async () => {
  server = await startTestServer({ config: { log: (message) => logs.push(message) } })
  cookie = (await server.login('drafter')).cookie
  document = await server.demoDocument(cookie)
})

afterAll(async () => {
  for (const closer of closers) closer.destroy()
  await server?.close()
})

function client(sectionId: string): CollabClient {
  const created = connectClient(server.wsUrl, sectionId, cookie)
  closers.push(created)
  return created
}

/** Every link mark of a ProseMirror document. */
function linkMarks(node: PMNode): Mark[] {
  const marks: Mark[] = []
  node.descendants((child) => {
    for (const mark of child.marks) if (mark.type === schema.marks.link) marks.push(mark)
  })
  return marks
}

/** The href a link mark renders with, through the schema's `toDOM`. */
function renderedHref(mark: Mark): string {
  const spec = schema.marks.link.spec.toDOM!(mark, true) as [string, Record<string, string>, number]
  return spec[1].href!
}

describe('unsafe links written straight into a section', () => {
  let sectionId: string
  let witness: Witness
  let writer: CollabClient

  beforeAll(async () => {
    sectionId = document.sections[5]!.id
    witness = await startWitness(server, sectionId, cookie)
    closers.push(witness)
    await witness.proveAlive('before the links')
    writer = client(sectionId)
    await writer.synced()
    writer.doc.transact(() => {
      UNSAFE_HREFS.forEach((href, index) => {
        const paragraph = new Y.XmlElement('paragraph')
        const text = new Y.XmlText()
        paragraph.insert(0, [text])
        writer.fragment.push([paragraph])
        text.insert(0, `unsafe-link-${index}`, { link: { href, title: null } })
      })
    })
  })

  it('is either refused by the relay with a close code and left out of storage, or kept with nothing else harmed', async () => {
    await waitFor(
      () => writer.closes.length > 0 || (writer.persisted !== null && writer.persisted.get(writer.doc.clientID) !== undefined),
      { message: 'the relay to refuse or store the links' },
    )
    if (writer.closes.length > 0) {
      expect(writer.closes[0]!.code).toBe(CloseCode.badMessage)
      expect(await tracesOf(server, sectionId, 'unsafe-link-0')).toEqual([])
    } else {
      await writer.saved()
    }
    await witness.proveAlive('after the links')
    expect(witness.client.closes).toEqual([])
  })

  it('has safeHref refuse every one of them', () => {
    for (const href of UNSAFE_HREFS) expect(safeHref(href), JSON.stringify(href)).toBeNull()
  })

  it('renders none of them as a live link once turned into ProseMirror', async () => {
    const stored = await storedDoc(server, sectionId)
    const node = yXmlFragmentToProseMirrorRootNode(stored.getXmlFragment('prosemirror'), schema)
    const rendered = linkMarks(node).map(renderedHref)
    for (const href of rendered) expect(href === '#' || safeHref(href) === href, href).toBe(true)
    stored.destroy()
  })

  it('has the schema refuse a document that carries them', async () => {
    const stored = await storedDoc(server, sectionId)
    const node = yXmlFragmentToProseMirrorRootNode(stored.getXmlFragment('prosemirror'), schema)
    stored.destroy()
    const unsafe = linkMarks(node).filter((mark) => safeHref(mark.attrs.href as string) === null)
    if (unsafe.length === 0) return // the relay refused them
    // `node.check()` is what canonicalSectionJSON (the approval hash) relies on.
    expect(() => node.check(), 'a document with a javascript: link passes the schema check').toThrow(RangeError)
    for (const href of UNSAFE_HREFS) {
      const paragraph = schema.node('paragraph', null, [schema.text('x', [schema.marks.link.create({ href })])])
      expect(() => schema.node('doc', null, [paragraph]).check(), JSON.stringify(href)).toThrow(RangeError)
    }
  })

  it('accepts a safe link, as a control', () => {
    const paragraph = schema.node('paragraph', null, [schema.text('x', [schema.marks.link.create({ href: 'https://ifrc.org/' })])])
    expect(() => schema.node('doc', null, [paragraph]).check()).not.toThrow()
  })

  it('keeps the document view working', async () => {
    const response = await fetch(`${server.url}/api/documents/${document.id}`, { headers: { cookie } })
    expect(response.status).toBe(200)
  })
})

describe('attributes the schema forbids, written straight into a section', () => {
  it('has the schema refuse a heading level outside 2–4', () => {
    for (const level of [1, 5, 99, '2']) {
      // Refused when the node is made, or at the latest when the document is checked.
      const build = () => schema.node('doc', null, [schema.node('heading', { level }, [schema.text('x')])]).check()
      expect(build, JSON.stringify(level)).toThrow(RangeError)
    }
    const heading = schema.node('heading', { level: 3 }, [schema.text('x')])
    expect(() => schema.node('doc', null, [heading]).check()).not.toThrow()
  })
})

describe('a node outside the schema, written straight into a section', () => {
  let sectionId: string
  let witness: Witness
  let writer: CollabClient

  beforeAll(async () => {
    sectionId = document.sections[7]!.id
    witness = await startWitness(server, sectionId, cookie)
    closers.push(witness)
    await witness.proveAlive('before the foreign node')
    writer = client(sectionId)
    await writer.synced()
    writer.doc.transact(() => {
      // A node type the schema does not have …
      const script = new Y.XmlElement('script')
      script.insert(0, [new Y.XmlText('foreign-node-marker')])
      // … a mark it does not have, a link without its required href, and a heading level it forbids.
      const marked = new Y.XmlElement('paragraph')
      const markedText = new Y.XmlText()
      marked.insert(0, [markedText])
      const heading = new Y.XmlElement('heading')
      heading.setAttribute('level', 99 as unknown as string)
      heading.insert(0, [new Y.XmlText('level 99')])
      writer.fragment.push([script, marked, heading])
      markedText.insert(0, 'bogus mark', { bogus: true })
      markedText.insert(markedText.length, ' link without href', { link: {} })
    })
    await waitFor(() => writer.closes.length > 0 || writer.persisted?.get(writer.doc.clientID) !== undefined, {
      message: 'the relay to refuse or store the node',
    })
  })

  it('keeps the document view working', async () => {
    const response = await fetch(`${server.url}/api/documents/${document.id}`, { headers: { cookie } })
    expect(response.status).toBe(200)
    expect(logs.filter((line) => line.startsWith('error:'))).toEqual([])
  })

  it('keeps storing and relaying the section after the server has looked at it', async () => {
    const marker = 'typed-after-the-foreign-node'
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText(marker)])
    witness.client.fragment.push([paragraph])
    // Persisting takes milliseconds; the bound only keeps a failure from hanging.
    await waitFor(() => writer.text().includes(marker), { message: 'the writer to receive the witness edit', timeout: 5000 })
    await waitFor(
      () => (witness.client.persisted?.get(witness.client.doc.clientID) ?? 0) >= Y.getState(witness.client.doc.store, witness.client.doc.clientID),
      { message: 'the witness edit to be stored', timeout: 5000 },
    )
    expect((await storedDoc(server, sectionId)).getXmlFragment('prosemirror').toString()).toContain(marker)
  })

  it('keeps the relay, the disk and every client in agreement', async () => {
    const room = (await server.server.relay.room(sectionId))!
    const live = room.doc.getXmlFragment('prosemirror').toString()
    const stored = await storedDoc(server, sectionId)
    expect(stored.getXmlFragment('prosemirror').toString(), 'the relay and the disk disagree').toBe(live)
    stored.destroy()
    await waitFor(() => witness.client.fragment.toString() === live, {
      message: 'the witness to hold what the relay holds',
      timeout: 3000,
    })
    const fresh = client(sectionId)
    await fresh.synced()
    expect(fresh.fragment.toString()).toBe(witness.client.fragment.toString())
  })
})
