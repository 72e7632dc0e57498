import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { DocumentView } from '../../shared/api.js'
import { ARTIFACTS_DIR, BUILT_CLIENT_DIR, launchBrowser, openSignedIn } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/testServer.js'
import { waitFor } from '../helpers/waitFor.js'

/**
 * Issue 3, acceptance 4: the reviewer sees a non-editable section; the
 * drafter submits it and the approver approves it, each through their own
 * page; the drafter's open page turns read-only with the lock banner, and
 * every page's outline shows the section approved, without a reload.
 */
let server: TestServer
let browser: Browser

const SECTION = 'A principled approach and our auxiliary role'

beforeAll(async () => {
  server = await startTestServer({ clientDir: BUILT_CLIENT_DIR })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

interface Person {
  page: Page
  errors: string[]
}

// Signs in as `role` in a browser context of its own and opens SECTION from the outline.
async function openSectionAs(role: 'drafter' | 'reviewer' | 'approver'): Promise<Person> {
  const { page, errors } = await openSignedIn(browser, server.url, role, { viewport: { width: 1280, height: 860 } })
  await page.locator('nav[aria-label="Sections"] a', { hasText: SECTION }).click()
  await page.locator('main h1', { hasText: SECTION }).waitFor()
  await page.locator('main .ProseMirror').waitFor()
  // Survives only as long as the page is not reloaded.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }))
  return { page, errors }
}

const editorOf = (page: Page) => page.locator('main .ProseMirror')
// The section's words, without the names on collaborators' cursors.
const textOf = (page: Page) =>
  editorOf(page).evaluate((editor) => {
    const copy = editor.cloneNode(true) as HTMLElement
    for (const cursor of copy.querySelectorAll('.ProseMirror-yjs-cursor')) cursor.remove()
    return copy.textContent
  })
const outlineBadge = (page: Page, sectionId: string) => page.locator(`nav[aria-label="Sections"] li[data-section-id="${sectionId}"] .status-badge`)
// Screenshots show the top of the section: banner, title and workflow.
const screenshot = async (page: Page, name: string) => {
  await page.locator('main').evaluate((main) => main.scrollTo(0, 0))
  await page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png` })
}
const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true)

describe('approving a section', () => {
  it('locks it for everyone at once: the drafter’s open page turns read-only with the banner, without a reload', async () => {
    const drafter = await openSectionAs('drafter')
    const reviewer = await openSectionAs('reviewer')
    const approver = await openSectionAs('approver')
    const sectionId = await drafter.page.locator('nav[aria-label="Sections"] li', { hasText: SECTION }).getAttribute('data-section-id')
    expect(sectionId).toBeTruthy()

    // The reviewer reads: the text is not editable, the banner says why, and typing changes nothing.
    await reviewer.page.locator('main .ProseMirror[contenteditable="false"]').waitFor()
    const reviewerBanner = reviewer.page.locator('[data-testid="readonly-banner"][data-reason="role"]')
    await reviewerBanner.waitFor()
    expect(await reviewerBanner.innerText()).toContain('only the drafting committee edits its text')
    await screenshot(reviewer.page, 'approval-1-reviewer-reads')
    const textBefore = await textOf(reviewer.page)
    await editorOf(reviewer.page).click()
    await reviewer.page.keyboard.type('A reviewer tries to write here. ')
    expect(await textOf(reviewer.page)).toBe(textBefore)
    expect(await reviewer.page.getByRole('button', { name: 'Submit for review' }).count()).toBe(0)
    expect(await reviewer.page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0)

    // The drafter submits through the workflow bar; every page sees "In review" at once.
    await drafter.page.locator('main .ProseMirror[contenteditable="true"]').waitFor()
    await drafter.page.getByRole('button', { name: 'Submit for review' }).click()
    await drafter.page.locator('[data-testid="workflow-bar"][data-status="in_review"]').waitFor()
    for (const { page } of [drafter, reviewer, approver]) {
      await outlineBadge(page, sectionId!).and(page.locator('[data-status="in_review"]')).waitFor()
      expect(await outlineBadge(page, sectionId!).innerText()).toBe('In review')
    }

    // The approver confirms in a dialog that says the text will be locked; meanwhile the drafter keeps typing.
    const approve = approver.page.getByRole('button', { name: 'Approve', exact: true })
    await approve.click()
    const dialog = approver.page.getByRole('dialog', { name: `Approve “${SECTION}”?` })
    await dialog.waitFor()
    expect(await dialog.innerText()).toContain('The text will be locked exactly as it is now')
    await approver.page.screenshot({ path: `${ARTIFACTS_DIR}approval-2-approver-confirms.png` })
    await editorOf(drafter.page).locator('p').last().click()
    await drafter.page.keyboard.press('Control+End')
    const typing = drafter.page.keyboard.type(' The committee adds a last sentence while leadership decides.', { delay: 15 })
    await dialog.getByRole('button', { name: 'Approve and lock' }).click()
    await dialog.waitFor({ state: 'detached' })
    await typing

    // The drafter's page, still the same document: read-only, with the lock banner, and no edit control left.
    const lockBanner = drafter.page.locator('[data-testid="readonly-banner"][data-reason="approved"]')
    await lockBanner.waitFor()
    expect(await lockBanner.innerText()).toContain('This section is approved and locked')
    await drafter.page.locator('main .ProseMirror[contenteditable="false"]').waitFor()
    expect(await notReloaded(drafter.page)).toBe(true)
    await drafter.page.locator('header [role=status][data-state="readonly"]').waitFor()
    const lockedText = await textOf(drafter.page)
    await drafter.page.keyboard.type(' One more word.')
    expect(await textOf(drafter.page)).toBe(lockedText)

    // What the drafter sees is the server's text: the same as the reviewer's fresh view of it.
    const sameText = async () => (await textOf(reviewer.page)) === (await textOf(drafter.page))
    // Wait for the views to settle, then compare, so a failure shows the difference.
    await waitFor(sameText, { message: "the drafter's locked text to equal the server's" }).catch(() => undefined)
    expect(await textOf(drafter.page)).toBe(await textOf(reviewer.page))

    // Every page shows the approval live: the outline badge, and the record under the title.
    for (const { page } of [drafter, reviewer, approver]) {
      await outlineBadge(page, sectionId!).and(page.locator('[data-status="approved"]')).waitFor()
      expect(await outlineBadge(page, sectionId!).innerText()).toBe('Approved')
      const record = page.locator('[data-testid="approval-record"]')
      await record.waitFor()
      expect(await record.innerText()).toContain('Elif Demir, Turkish Red Crescent')
      expect(await record.locator('[data-testid="text-check"]').innerText()).toBe('Text matches the approved version')
      expect(await notReloaded(page)).toBe(true)
    }
    await approver.page.getByRole('button', { name: 'Reopen' }).waitFor()
    expect(await drafter.page.getByRole('button', { name: 'Reopen' }).count()).toBe(0)

    // The server agrees: approved, and the approved hash is the hash of the stored text.
    const { cookie } = await server.login('approver')
    const document: DocumentView = await server.demoDocument(cookie)
    const section = document.sections.find((candidate) => candidate.id === sectionId)!
    expect(section.status).toBe('approved')
    expect(section.approval?.hash).toBe(section.currentHash)

    await screenshot(drafter.page, 'approval-3-drafter-locked')
    await screenshot(approver.page, 'approval-4-approver-record')
    await screenshot(reviewer.page, 'approval-5-reviewer-outline')
    expect(drafter.errors).toEqual([])
    expect(reviewer.errors).toEqual([])
    expect(approver.errors).toEqual([])
  })
})
