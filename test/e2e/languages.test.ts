import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, type TestServer } from '../helpers/testServer.js'
import { ARTIFACTS_DIR, BUILT_CLIENT_DIR, collectPageErrors, launchBrowser, openSection, openSignedIn } from '../helpers/browser.js'

/**
 * The interface in Arabic: the page mirrors, while each paragraph of the
 * text keeps the direction of its own words, and a colleague's cursor sits
 * on the right letter of an Arabic sentence.
 */
let server: TestServer
let browser: Browser

const SECTION = 'Purpose of the strategy'
const ENGLISH = 'National Societies support people on the move.'
const ARABIC = 'تدعم الجمعيات الوطنية الأشخاص المتنقلين على طول طرق الهجرة'

beforeAll(async () => {
  server = await startTestServer({ clientDir: BUILT_CLIENT_DIR })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))))
}

/** The paragraph of the open section whose text is `text`. */
const paragraph = (page: Page, text: string) => page.locator('main .ProseMirror p', { hasText: text })

describe('the interface in Arabic', () => {
  it('mirrors the layout, keeps each paragraph in its own direction, and follows the user', async () => {
    const { page, context, errors } = await openSignedIn(browser, server.url, 'drafter', { viewport: { width: 1440, height: 900 } })
    await openSection(page, SECTION)
    await placeCaretAtEnd(page)
    await page.keyboard.press('Enter')
    await page.keyboard.insertText(ENGLISH)
    await page.keyboard.press('Enter')
    await page.keyboard.insertText(ARABIC)
    await paragraph(page, ARABIC).waitFor()
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['en', 'ltr'])
    await page.screenshot({ path: `${ARTIFACTS_DIR}/editor-en.png` })

    // The language picker in the top bar saves the choice and starts again in Arabic.
    await Promise.all([page.waitForEvent('load'), page.locator('#shell-language').selectOption('ar')])
    await page.locator('html[dir="rtl"][lang="ar"]').waitFor()
    await page.locator('main .ProseMirror').waitFor()
    await paragraph(page, ARABIC).waitFor()
    await settle(page)

    // The outline is on the right of the text, against the right edge.
    const nav = (await page.locator('nav.sidebar').boundingBox())!
    const main = (await page.locator('main').boundingBox())!
    expect(nav.x).toBeGreaterThan(main.x)
    expect(nav.x + nav.width).toBeGreaterThan(1440 - 20)

    // Each paragraph takes its direction from its words, whatever the interface language.
    const direction = (text: string) => paragraph(page, text).evaluate((element) => [getComputedStyle(element).direction, element.matches(':dir(rtl)')])
    expect(await direction(ENGLISH)).toEqual(['ltr', false])
    expect(await direction(ARABIC)).toEqual(['rtl', true])
    // …and the English paragraph starts at the left, the Arabic one at the right.
    const englishBox = await textBox(page, ENGLISH)
    const arabicBox = await textBox(page, ARABIC)
    const paper = (await page.locator('main .ProseMirror').boundingBox())!
    expect(englishBox.left - paper.x).toBeLessThan(paper.x + paper.width - englishBox.right)
    expect(paper.x + paper.width - arabicBox.right).toBeLessThan(arabicBox.left - paper.x)

    // The interface speaks Arabic: the picker's label and the editor's name are no longer English.
    expect(await page.locator('#shell-language').evaluate((select) => (select as HTMLSelectElement).labels?.[0]?.textContent?.trim())).toBe('اللغة')
    await page.screenshot({ path: `${ARTIFACTS_DIR}/editor-ar.png` })

    // The choice belongs to the account: a new device shows Arabic once the user signs in.
    const elsewhere = await openSignedIn(browser, server.url, 'drafter')
    await elsewhere.page.locator('html[dir="rtl"][lang="ar"]').waitFor()
    await elsewhere.context.close()

    expect(errors).toEqual([])
    await context.close()
  })

  it("shows a colleague's cursor on the right letter of an Arabic sentence", async () => {
    const writer = await openSignedIn(browser, server.url, 'drafter')
    const reader = await openSignedIn(browser, server.url, 'drafter')
    for (const { page } of [writer, reader]) {
      await openSection(page, SECTION)
      await paragraph(page, ARABIC).waitFor()
    }
    // The writer puts the caret after the second word (counted in logical order).
    const offset = ARABIC.indexOf(' ', ARABIC.indexOf(' ') + 1)
    await paragraph(writer.page, ARABIC).evaluate((element, at) => {
      const text = element.firstChild!
      const range = document.createRange()
      range.setStart(text, at)
      range.collapse(true)
      const selection = window.getSelection()!
      selection.removeAllRanges()
      selection.addRange(range)
    }, offset)
    await writer.page.locator('main .ProseMirror').focus()
    await writer.page.keyboard.press('Shift+ArrowLeft')
    await writer.page.keyboard.press('Shift+ArrowRight')
    await settle(writer.page)

    const cursor = reader.page.locator('main .ProseMirror p .ProseMirror-yjs-cursor')
    await cursor.waitFor()
    // The reader's copy has the cursor after exactly those words…
    const around = await reader.page.locator('main .ProseMirror p:has(.ProseMirror-yjs-cursor)').evaluate((element) => {
      const cursor = element.querySelector('.ProseMirror-yjs-cursor')!
      const before = document.createRange()
      before.setStart(element, 0)
      before.setEndBefore(cursor)
      // …drawn at the left edge of the last letter before it, as right-to-left text runs.
      const text = cursor.previousSibling as Text
      const letter = document.createRange()
      letter.setStart(text, text.length - 1)
      letter.setEnd(text, text.length)
      const box = letter.getBoundingClientRect()
      return { before: before.toString(), letterLeft: box.left, letterTop: box.top }
    })
    expect(around.before).toBe(ARABIC.slice(0, offset))
    const caret = (await cursor.boundingBox())!
    expect(Math.abs(caret.x - around.letterLeft)).toBeLessThan(4)
    expect(Math.abs(caret.y - around.letterTop)).toBeLessThan(12)
    await reader.page.screenshot({ path: `${ARTIFACTS_DIR}/rtl-remote-cursor.png` })
    await writer.context.close()
    await reader.context.close()
  })

  it("starts in the browser's language before anyone signs in", async () => {
    const context = await browser.newContext({ locale: 'fr-FR' })
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await page.goto(server.url)
    await page.locator('html[lang="fr"][dir="ltr"]').waitFor()
    await page.locator('#login-language').waitFor()
    expect(await page.locator('#login-language').inputValue()).toBe('fr')
    expect(errors).toEqual([])
    await context.close()
  })
})

/** Puts the caret at the end of the section's text, as a click after its last word would. */
async function placeCaretAtEnd(page: Page): Promise<void> {
  await page.locator('main .ProseMirror p').last().evaluate((element) => {
    const range = document.createRange()
    range.selectNodeContents(element)
    range.collapse(false)
    const selection = window.getSelection()!
    selection.removeAllRanges()
    selection.addRange(range)
  })
  await page.locator('main .ProseMirror').focus()
  await settle(page)
}

/** The left and right edges of the rendered words of the paragraph holding `text`. */
async function textBox(page: Page, text: string): Promise<{ left: number; right: number }> {
  return paragraph(page, text).evaluate((element) => {
    const range = document.createRange()
    range.selectNodeContents(element)
    const box = range.getBoundingClientRect()
    return { left: box.left, right: box.right }
  })
}
