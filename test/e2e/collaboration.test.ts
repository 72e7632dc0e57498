import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, type TestServer } from '../helpers/testServer.js'
import { ARTIFACTS_DIR, BUILT_CLIENT_DIR, launchBrowser, openSignedIn } from '../helpers/browser.js'

/**
 * Two delegates, two browsers, one section: each sees the other's words and
 * named cursor as they type.
 */
let server: TestServer
let browser: Browser

const SECOND_DRAFTER = { email: 'karim@example.org', name: 'Karim Saleh', organisation: 'Lebanese Red Cross', password: 'a strong test password' }

beforeAll(async () => {
  server = await startTestServer({ clientDir: BUILT_CLIENT_DIR })
  // A second member of the drafting committee, invited as the secretariat would.
  const { cookie } = await server.login('admin')
  const invited = await fetch(`${server.url}/api/users`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ email: SECOND_DRAFTER.email, name: SECOND_DRAFTER.name, organisation: SECOND_DRAFTER.organisation, role: 'drafter' }),
  })
  const token = ((await invited.json()) as { invitePath: string }).invitePath.split('/').pop()
  await fetch(`${server.url}/api/invites/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: SECOND_DRAFTER.password }),
  })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Pages a test opened, closed after it so that the next meets none of its cursors. */
const opened: Page[] = []

afterEach(async () => {
  for (const page of opened.splice(0)) await page.context().close()
})

async function openAs(who: string, password?: string): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await openSignedIn(browser, server.url, who, { password })
  opened.push(page)
  return { page, errors }
}

/** Focuses the editor and moves the caret with `key`. */
async function placeCaret(page: Page, key: string): Promise<void> {
  await page.locator('main .ProseMirror').focus()
  await page.keyboard.press(key)
  // ProseMirror picks up a browser-made selection change on the next event.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))))
}

describe('writing together', () => {
  it("shows each delegate the other's text and named cursor", async () => {
    const lena = await openAs('drafter')
    const karim = await openAs(SECOND_DRAFTER.email, SECOND_DRAFTER.password)
    for (const { page } of [lena, karim]) {
      await page.locator('nav[aria-label="Sections"] a', { hasText: 'Purpose of the strategy' }).click()
      await page.locator('main h1', { hasText: 'Purpose of the strategy' }).waitFor()
      await page.locator('main .ProseMirror[contenteditable="true"]').waitFor()
    }

    // Lena writes at the end of the text, Karim at the start.
    await placeCaret(lena.page, 'Control+End')
    await lena.page.keyboard.type(' Lena adds a sentence on routes.')
    await placeCaret(karim.page, 'Control+Home')
    await karim.page.keyboard.type('Karim opens: ')

    for (const { page } of [lena, karim]) {
      const editor = page.locator('main .ProseMirror')
      await editor.locator('text=Lena adds a sentence on routes.').waitFor()
      await editor.locator('text=Karim opens:').waitFor()
    }
    await lena.page.locator('.ProseMirror-yjs-cursor', { hasText: 'Karim Saleh · Lebanese Red Cross' }).waitFor()
    await karim.page.locator('.ProseMirror-yjs-cursor', { hasText: 'Lena Karlsson · Swedish Red Cross' }).waitFor()
    // Each page shows the other in the outline's presence, and says the work is saved.
    for (const { page } of [lena, karim]) {
      await page.locator('header [role=status][data-state="saved"]').waitFor()
    }

    // The same text on both pages, without the cursor labels (which differ by viewer).
    const textOf = (page: Page) =>
      page.locator('main .ProseMirror').evaluate((editor) => {
        const copy = editor.cloneNode(true) as HTMLElement
        for (const cursor of copy.querySelectorAll('.ProseMirror-yjs-cursor')) cursor.remove()
        return copy.textContent
      })
    expect(await textOf(karim.page)).toBe(await textOf(lena.page))
    await lena.page.screenshot({ path: `${ARTIFACTS_DIR}collaboration-lena.png` })
    await karim.page.screenshot({ path: `${ARTIFACTS_DIR}collaboration-karim.png` })
    expect(lena.errors).toEqual([])
    expect(karim.errors).toEqual([])
  })

  it('keeps a collaborator’s name on the paper when their caret is at the end of a full line', async () => {
    const lena = await openAs('drafter')
    const karim = await openAs(SECOND_DRAFTER.email, SECOND_DRAFTER.password)
    for (const { page } of [lena, karim]) await page.locator('nav[aria-label="Sections"] a', { hasText: 'Purpose of the strategy' }).click()
    for (const { page } of [lena, karim]) await page.locator('main .ProseMirror[contenteditable="true"]').waitFor()
    // Near the end of the first line of a paragraph that wraps: the caret at
    // the text's right edge (after the line's last space it would show on the next line).
    await placeCaret(karim.page, 'Control+Home')
    await placeCaret(karim.page, 'End')
    await placeCaret(karim.page, 'ArrowLeft')

    const label = lena.page.locator('.collab-cursor__label', { hasText: 'Karim Saleh' })
    await label.waitFor()
    const text = (await lena.page.locator('main .ProseMirror').boundingBox())!
    const caret = lena.page.locator('.ProseMirror-yjs-cursor', { hasText: 'Karim Saleh' })
    await expect.poll(async () => (await caret.boundingBox())!.x).toBeGreaterThan(text.x + text.width * 0.75)
    await expect
      .poll(async () => {
        const box = (await label.boundingBox())!
        return box.x >= text.x && box.x + box.width <= text.x + text.width
      })
      .toBe(true)
    await lena.page.screenshot({ path: `${ARTIFACTS_DIR}collaboration-label-at-edge.png` })
    expect(lena.errors).toEqual([])
    expect(karim.errors).toEqual([])
  })
})
