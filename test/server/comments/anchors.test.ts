import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { anchorInText, anchoredText, textNodesOf, type Anchor } from '../../../shared/anchors.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient, type CollabClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'

/**
 * Thread anchors through the real relay: one client anchors a range, other
 * clients edit around and inside it, and the anchor must still resolve to
 * the same words in every client's document.
 */
let server: TestServer
let cookie: string
let sectionIds: string[]
const clients: CollabClient[] = []

beforeAll(async () => {
  server = await startTestServer()
  cookie = (await server.login('drafter')).cookie
  sectionIds = (await server.demoDocument(cookie)).sections.map((section) => section.id)
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.close()
})

async function twoClients(sectionId: string): Promise<[CollabClient, CollabClient]> {
  const a = connectClient(server.wsUrl, sectionId, cookie)
  const b = connectClient(server.wsUrl, sectionId, cookie)
  clients.push(a, b)
  await Promise.all([a.synced(), b.synced()])
  return [a, b]
}

const firstText = (client: CollabClient): Y.XmlText => textNodesOf(client.fragment)[0]!

async function settle(a: CollabClient, b: CollabClient): Promise<void> {
  await waitFor(() => JSON.stringify(a.json()) === JSON.stringify(b.json()), { message: 'the clients to converge' })
}

/** Anchors the first occurrence of `words` in A's first paragraph. */
function anchorWords(client: CollabClient, words: string): Anchor {
  const text = firstText(client)
  const from = text.toString().indexOf(words)
  expect(from).toBeGreaterThanOrEqual(0)
  return anchorInText(text, from, from + words.length)
}

describe('thread anchors', () => {
  it('keep their words through concurrent inserts before, inside and at both edges', async () => {
    const [a, b] = await twoClients(sectionIds[0]!)
    const anchor = anchorWords(a, 'components of the International')
    expect(anchor.quote).toBe('components of the International')
    expect(anchor.prefix.endsWith('This strategy sets out how the ')).toBe(true)
    await settle(a, b)

    const text = firstText(b)
    const start = text.toString().indexOf('components of the International')
    const end = start + 'components of the International'.length
    // B types just after the range, just before it, far before it and in its middle.
    text.insert(end, ' Red Cross')
    text.insert(start, 'all ')
    text.insert(0, 'In short: ')
    const middle = text.toString().indexOf(' of the International')
    text.insert(middle, ' and partners')
    await settle(a, b)

    for (const client of [a, b]) {
      expect(anchoredText(client.doc, anchor)).toBe('components and partners of the International')
      expect(firstText(client).toString()).toContain('all components and partners of the International Red Cross')
    }
  })

  it('span paragraphs and follow concurrent edits in each', async () => {
    const [a, b] = await twoClients(sectionIds[1]!)
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('Second paragraph of the trends.')])
    a.fragment.insert(1, [paragraph])
    const texts = textNodesOf(a.fragment)
    const first = texts[0]!.toString()
    const from = first.indexOf('Ukraine')
    const anchor: Anchor = {
      ...anchorInText(texts[0]!, from, first.length),
      end: anchorInText(texts[1]!, 0, 'Second paragraph'.length).end,
      quote: 'Ukraine, …\nSecond paragraph',
    }
    await settle(a, b)
    textNodesOf(b.fragment)[1]!.insert(0, 'A ')
    await settle(a, b)
    expect(anchoredText(b.doc, anchor)).toBe(`${first.slice(from)}\nA Second paragraph`)
  })

  it('are detached, with their quote, once their text is deleted', async () => {
    const [a, b] = await twoClients(sectionIds[2]!)
    const anchor = anchorWords(a, 'on the basis of need alone')
    await settle(a, b)
    const text = firstText(b)
    const at = text.toString().indexOf('on the basis of need alone')
    text.delete(at - 5, 'on the basis of need alone'.length + 10)
    await settle(a, b)
    expect(anchoredText(a.doc, anchor)).toBeNull()
    expect(anchor.quote).toBe('on the basis of need alone')

    // Look-alike text typed where it was does not re-attach it.
    firstText(b).insert(at - 5, 'on the basis of need alone')
    await settle(a, b)
    expect(anchoredText(a.doc, anchor)).toBeNull()
  })

  it('are detached when their whole paragraph is deleted', async () => {
    const [a, b] = await twoClients(sectionIds[3]!)
    const anchor = anchorWords(a, 'essential services')
    await settle(a, b)
    b.fragment.delete(0, 1)
    await settle(a, b)
    expect(anchoredText(a.doc, anchor)).toBeNull()
  })
})
