import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { ARTIFACTS_DIR, BUILT_CLIENT_DIR, launchBrowser, openSection, openSignedIn } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/testServer.js'

/**
 * Issue 7, acceptance 5 (first half): the history panel shows a diff with an
 * author's name. A drafter names a version, writes more, opens History and
 * compares that version with the current text: what she wrote is marked as
 * inserted and attributed to her, by the server's record.
 */
let server: TestServer
let browser: Browser

const SECTION = 'A principled approach and our auxiliary role'
const ADDED = 'The committee adds a sentence after naming the version.'

beforeAll(async () => {
  server = await startTestServer({ clientDir: BUILT_CLIENT_DIR })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the history panel', () => {
  it('shows a diff with an author’s name', async () => {
    const { context, page, errors } = await openSignedIn(browser, server.url, 'drafter', { viewport: { width: 1400, height: 900 } })
    await openSection(page, SECTION)
    const editor = page.locator('main .ProseMirror[contenteditable="true"]')
    await editor.waitFor()
    const saved = page.locator('header [role=status][data-state="saved"]')

    // A first edit, then the text as it is now gets a name.
    await editor.locator('p').last().click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' A first edit.')
    await saved.waitFor()
    await page.getByRole('button', { name: 'History' }).click()
    const panel = page.getByTestId('history-panel')
    await panel.waitFor()
    await panel.getByLabel('Name this version').fill('Draft for the regional conference')
    await panel.getByRole('button', { name: 'Name', exact: true }).click()
    const named = panel.locator('li.version[data-kind="named"]', { hasText: 'Draft for the regional conference' })
    await named.waitFor()
    expect(await named.innerText()).toContain('Lena Karlsson · Swedish Red Cross')

    // More text after the named version.
    await editor.locator('p').last().click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(` ${ADDED}`)
    await page.waitForTimeout(300)
    await saved.waitFor()

    await named.getByRole('button', { name: 'Compare with current' }).click()
    const diff = panel.getByTestId('diff')
    await diff.waitFor()
    const inserted = diff.locator('ins.diff__inserted', { hasText: 'naming the version' })
    await inserted.first().waitFor()
    const insertedText = (await diff.locator('ins.diff__inserted').allInnerTexts()).join('')
    expect(insertedText).toContain(ADDED)
    expect(await inserted.first().getAttribute('title')).toBe('Inserted by Lena Karlsson · Swedish Red Cross')
    // The author is named as text right after the change, not only in the tooltip.
    const label = inserted.first().locator('xpath=following-sibling::*[1]')
    expect(await label.getAttribute('class')).toContain('diff__author')
    expect(await label.innerText()).toBe('Lena Karlsson')
    // The first edit is before the named version, so it is not marked.
    expect(insertedText).not.toContain('A first edit.')
    expect(await panel.getByTestId('compare-result').innerText()).toContain('By Lena Karlsson · Swedish Red Cross')

    await page.screenshot({ path: `${ARTIFACTS_DIR}history-compare.png` })
    expect(errors).toEqual([])
    await context.close()
  })
})
