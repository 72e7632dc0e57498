import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { DocumentView } from '../../shared/api.js'
import type { InputView } from '../../shared/inputs.js'
import type { ThreadView } from '../../shared/threads.js'
import { startTestServer, DEMO_PASSWORD, type TestServer } from '../helpers/testServer.js'
import { ARTIFACTS_DIR, BUILT_CLIENT_DIR, collectPageErrors, launchBrowser, openSignedIn } from '../helpers/browser.js'
import { connectClient } from '../helpers/collabClient.js'

/**
 * A drafter who cannot use a mouse does a whole round of work with the
 * keyboard alone: sign in, open a section, write, comment on a passage
 * with the shortcut, tie the comment to a conference input, and submit the
 * section for review. The mouse is never used: every step is a key press.
 */
let server: TestServer
let browser: Browser

const SECTION = 'Humanitarian diplomacy'
const ADDED = ' Delegates asked for clearer commitments on safe routes.'
const COMMENTED = 'clearer commitments'

beforeAll(async () => {
  server = await startTestServer({ clientDir: BUILT_CLIENT_DIR })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** What has keyboard focus: its tag, accessible-ish name and classes. */
function focused(page: Page): Promise<{ tag: string; text: string; label: string; classes: string; role: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: element?.textContent?.trim() ?? '',
      label: element?.getAttribute('aria-label') ?? '',
      classes: element?.className ?? '',
      role: element?.getAttribute('role') ?? '',
    }
  })
}

/** Presses Tab (or Shift+Tab) until focus is on an element `matches` accepts, as a keyboard user would. */
async function tabTo(
  page: Page,
  what: string,
  matches: (element: Awaited<ReturnType<typeof focused>>) => boolean,
  key: 'Tab' | 'Shift+Tab' = 'Tab',
  limit = 80,
): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (matches(await focused(page))) return
    await page.keyboard.press(key)
  }
  throw new Error(`Tab never reached ${what}; focus is on ${JSON.stringify(await focused(page))}`)
}

/** The focused element's visible focus indicator: an outline or a box shadow, on it or drawn by a pseudo-element. */
function focusIndicator(page: Page): Promise<string> {
  return page.evaluate(() => {
    for (const pseudo of [null, '::after', '::before']) {
      const style = getComputedStyle(document.activeElement!, pseudo)
      if (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') return `outline ${style.outlineWidth}`
      if (style.boxShadow !== 'none') return style.boxShadow
    }
    return 'none'
  })
}

describe('keyboard only', () => {
  it('signs in, writes, comments with an input linked, and submits for review without a mouse', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    // Nothing below may click: any mouse event fails the test.
    await page.addInitScript(() => {
      for (const type of ['mousedown', 'click', 'pointerdown']) {
        window.addEventListener(
          type,
          (event) => {
            // A click synthesised by pressing Enter or Space on a control has no pointer behind it.
            if ((event as MouseEvent).detail === 0 && type === 'click') return
            ;(window as unknown as { mouseUsed: string[] }).mouseUsed.push(type)
          },
          true,
        )
      }
      ;(window as unknown as { mouseUsed: string[] }).mouseUsed = []
    })

    // Sign in: the page puts the cursor in the email field.
    await page.goto(server.url)
    await page.locator('#login-email:focus').waitFor()
    await page.keyboard.type('drafter@demo.local')
    await page.keyboard.press('Tab')
    await page.keyboard.type(DEMO_PASSWORD)
    await page.keyboard.press('Enter')
    await page.locator('main .ProseMirror').waitFor()

    // Open a section from the outline.
    await tabTo(page, `the outline link to “${SECTION}”`, (element) => element.tag === 'a' && element.text.includes(SECTION))
    expect(await focusIndicator(page)).not.toBe('none')
    await page.keyboard.press('Enter')
    await page.locator('main h1', { hasText: SECTION }).waitFor()

    // Into the text once it can be edited (it is read-only until the section has synced), to its end, and write.
    await page.locator('main .ProseMirror[contenteditable="true"]').waitFor()
    await tabTo(page, 'the text', (element) => element.classes.includes('ProseMirror'))
    await page.keyboard.press('Control+End')
    await page.keyboard.type(ADDED)

    // Select "clearer commitments" a word at a time (Ctrl+Shift+←), then comment with the shortcut.
    const back = ADDED.length - ADDED.indexOf(COMMENTED) - COMMENTED.length
    for (let i = 0; i < back; i++) await page.keyboard.press('ArrowLeft')
    for (let word = 0; word < COMMENTED.split(' ').length; word++) await page.keyboard.press('Control+Shift+ArrowLeft')
    // At once, without a pause: the shortcut comments on what the page shows selected.
    await page.keyboard.press('Control+Alt+m')
    const composer = page.getByTestId('composer')
    await composer.waitFor()
    expect((await focused(page)).tag).toBe('textarea')
    await page.keyboard.type('Which routes? The break-out groups named the central Mediterranean.')

    // Link a conference input: search for it by words of its title, choose it with the arrows.
    const { cookie } = await server.login('drafter')
    const documentId = ((await (await fetch(`${server.url}/api/documents`, { headers: { cookie } })).json()) as { id: string }[])[0]!.id
    const inputs = (await (await fetch(`${server.url}/api/inputs?documentId=${documentId}`, { headers: { cookie } })).json()) as InputView[]
    const input = inputs[0]!
    await tabTo(page, 'the input search', (element) => element.role === 'combobox')
    await page.keyboard.type(input.title.split(/\s+/).slice(0, 3).join(' '))
    await composer.locator('[role="option"]', { hasText: input.title }).first().waitFor()
    const activeOption = (): Promise<string> =>
      page.evaluate(() => document.getElementById(document.activeElement?.getAttribute('aria-activedescendant') ?? '')?.textContent ?? '')
    for (let presses = 0; !(await activeOption()).includes(input.title); presses++) {
      if (presses > 10) throw new Error('The arrow keys never reached the input in the list')
      await page.keyboard.press('ArrowDown')
    }
    await page.keyboard.press('Enter')
    await composer.locator('.chip-list li', { hasText: input.title }).waitFor()

    // Post with Ctrl+Enter from the comment field, back with Shift+Tab.
    await tabTo(page, 'the comment field', (element) => element.tag === 'textarea', 'Shift+Tab', 10)
    await page.keyboard.press('Control+Enter')
    await composer.waitFor({ state: 'detached' })

    const sectionId = ((await (await fetch(`${server.url}/api/documents/${documentId}`, { headers: { cookie } })).json()) as DocumentView).sections.find(
      (section) => section.title === SECTION,
    )!.id
    const threads = (await (await fetch(`${server.url}/api/sections/${sectionId}/threads`, { headers: { cookie } })).json()) as ThreadView[]
    expect(threads).toHaveLength(1)
    expect(threads[0]!.anchor.quote).toBe(COMMENTED)
    expect(threads[0]!.inputIds).toEqual([input.id])

    // Submit the section for review.
    await tabTo(page, 'the submit button', (element) => element.tag === 'button' && element.text === 'Submit for review')
    await page.keyboard.press('Enter')
    await page.locator('.status-badge, [data-status]', { hasText: 'In review' }).first().waitFor()
    const section = ((await (await fetch(`${server.url}/api/documents/${documentId}`, { headers: { cookie } })).json()) as DocumentView).sections.find(
      (candidate) => candidate.id === sectionId,
    )!
    expect(section.status).toBe('in_review')

    // The shortcut list opens with Ctrl+/ and closes with Escape.
    await page.keyboard.press('Control+/')
    const shortcuts = page.getByRole('dialog')
    await shortcuts.waitFor()
    expect(await shortcuts.textContent()).toContain('Ctrl+Alt+M')
    await page.screenshot({ path: `${ARTIFACTS_DIR}/keyboard-shortcuts.png` })
    await page.keyboard.press('Escape')
    await shortcuts.waitFor({ state: 'detached' })

    expect(await page.evaluate(() => (window as unknown as { mouseUsed: string[] }).mouseUsed)).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })

  it('stays on an outline link while others come and go', async () => {
    const { context, page, errors } = await openSignedIn(browser, server.url, 'drafter')
    await tabTo(page, `the outline link to “${SECTION}”`, (element) => element.tag === 'a' && element.text.includes(SECTION))

    // A reviewer opens that section: the outline shows them there.
    const { cookie } = await server.login('reviewer')
    const section = (await server.demoDocument(cookie)).sections.find((candidate) => candidate.title === SECTION)!
    const reviewer = connectClient(server.wsUrl, section.id, cookie)
    try {
      await reviewer.synced()
      await page.locator(`.outline [data-section-id="${section.id}"] .presence`).waitFor()
      const stillFocused = await focused(page)
      expect([stillFocused.tag, stillFocused.text]).toEqual(['a', SECTION])
      expect(await focusIndicator(page)).not.toBe('none')
      await page.screenshot({ path: `${ARTIFACTS_DIR}/keyboard-outline-presence.png` })
    } finally {
      reviewer.destroy()
    }
    expect(errors).toEqual([])
    await context.close()
  })
})
