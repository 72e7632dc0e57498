import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, type TestServer } from '../helpers/testServer.js'
import { ARTIFACTS_DIR, BUILT_CLIENT_DIR, dragSelect, launchBrowser, openSignedIn } from '../helpers/browser.js'

/**
 * Issue 4, acceptance 5: a comment body of `<img src=x onerror=alert(1)>` is
 * shown as text in Chromium, and a second browser sees a new thread without
 * reloading. A reviewer comments through the UI (mouse selection, the
 * Ctrl+Alt+M shortcut, the input picker); a drafter in another browser
 * context watches the thread and its highlight arrive.
 */
let server: TestServer
let browser: Browser

const HOSTILE_BODY = '<img src=x onerror=alert(1)>'
const QUOTE = 'reduce the risks migrants face'

beforeAll(async () => {
  server = await startTestServer({ clientDir: BUILT_CLIENT_DIR })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

interface Visitor {
  page: Page
  errors: string[]
  dialogs: string[]
}

async function openAs(role: string): Promise<Visitor> {
  const dialogs: string[] = []
  const { page, errors } = await openSignedIn(browser, server.url, role, {
    viewport: { width: 1440, height: 900 },
    beforeSignIn: (opened) =>
      opened.on('dialog', (dialog) => {
        dialogs.push(dialog.message())
        void dialog.dismiss()
      }),
  })
  await page.locator('main h1', { hasText: 'Purpose of the strategy' }).waitFor()
  await page.locator('main .ProseMirror', { hasText: QUOTE }).waitFor()
  return { page, errors, dialogs }
}

/** Selects `text` with the mouse, then waits until the editor has read the selection. */
async function selectForComment(page: Page, text: string): Promise<void> {
  await dragSelect(page, text)
  // The toolbar's Comment button follows the editor's selection once ProseMirror has read it.
  await page.locator('.toolbar button[aria-label="Comment"]:not([disabled])').waitFor()
}

describe('comment threads in the browser', () => {
  it('shows a hostile comment body as text, and a second browser sees the new thread and its highlight without reloading', async () => {
    const drafter = await openAs('drafter')
    await drafter.page.locator('[data-testid=comments-panel]', { hasText: 'No comments yet' }).waitFor()
    // A page that reloads loses this marker.
    await drafter.page.evaluate(() => Object.assign(window, { stillTheSamePage: true }))

    const reviewer = await openAs('reviewer')
    await selectForComment(reviewer.page, QUOTE)
    await reviewer.page.keyboard.press('Control+Alt+m')
    const composer = reviewer.page.locator('[data-testid=composer]')
    await composer.locator('blockquote', { hasText: QUOTE }).waitFor()
    await composer.getByLabel('Comment', { exact: true }).fill(HOSTILE_BODY)

    // Link a conference input through the search-as-you-type picker.
    await composer.getByLabel('Conference inputs it answers (optional)').fill('Almaty humanitarian space')
    const option = composer.getByRole('option', { name: /Defend humanitarian space/ })
    await option.waitFor()
    await option.click()
    await composer.getByRole('list', { name: 'Linked inputs' }).getByText('Defend humanitarian space and advocate for migrants').waitFor()
    await reviewer.page.screenshot({ path: `${ARTIFACTS_DIR}comments-composer.png` })
    await composer.getByRole('button', { name: 'Comment', exact: true }).click()

    // The reviewer sees the body as literal text, with the linked input and its kind.
    const card = reviewer.page.locator('[data-testid=thread-card]', { hasText: QUOTE })
    await card.locator('[data-testid=comment-body]').waitFor()
    expect(await card.locator('[data-testid=comment-body]').textContent()).toBe(HOSTILE_BODY)
    await card.locator('.chip', { hasText: 'Commitment' }).filter({ hasText: 'Defend humanitarian space' }).waitFor()
    expect(await reviewer.page.locator('[data-testid=comments-panel] img').count()).toBe(0)

    // The drafter's page, never reloaded, shows the thread, its text highlighted, and no image either.
    const drafterCard = drafter.page.locator('[data-testid=thread-card]', { hasText: QUOTE })
    await drafterCard.locator('[data-testid=comment-body]', { hasText: HOSTILE_BODY }).waitFor()
    expect(await drafterCard.locator('[data-testid=comment-body]').textContent()).toBe(HOSTILE_BODY)
    const highlight = drafter.page.locator('main .ProseMirror .comment-highlight')
    await highlight.first().waitFor()
    expect((await highlight.allTextContents()).join('')).toBe(QUOTE)
    expect(await drafter.page.locator('[data-testid=comments-panel] img').count()).toBe(0)
    expect(await drafter.page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true)

    // Clicking the highlighted text brings its thread forward.
    await highlight.first().click()
    await drafter.page.locator('[data-testid=thread-card].thread-card--focused', { hasText: QUOTE }).waitFor()
    await drafter.page.locator('main .ProseMirror .comment-highlight--focused').waitFor()

    await reviewer.page.screenshot({ path: `${ARTIFACTS_DIR}comments-reviewer.png` })
    await drafter.page.screenshot({ path: `${ARTIFACTS_DIR}comments-drafter.png` })
    expect(reviewer.dialogs).toEqual([])
    expect(drafter.dialogs).toEqual([])
    expect(reviewer.errors).toEqual([])
    expect(drafter.errors).toEqual([])
  })
})
