import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { DEMO_PASSWORD } from './testServer.js'

/** The client bundle the suite's global setup builds, as `npm start` serves it. */
export const BUILT_CLIENT_DIR = fileURLToPath(new URL('../../dist/client/', import.meta.url))

/** Where browser tests save screenshots for people to look at. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

/** Debian's Chromium, headless, as this machine and CI have it. */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(ARTIFACTS_DIR, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

/**
 * Signs in through the login page as a demo user (`drafter`, `reviewer`, …)
 * or, given a full email, with `password`; waits for the first section.
 */
export async function signIn(page: Page, baseUrl: string, who: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(baseUrl)
  await page.getByLabel('Email').fill(who.includes('@') ? who : `${who}@demo.local`)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('main .ProseMirror').waitFor()
}

/**
 * Collects every error the page throws or logs, for a test to assert there
 * were none. The browser's own log line for the 401 of the session check
 * before signing in is expected and left out.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    if (message.text().includes('status of 401') && message.location().url.endsWith('/api/me')) return
    errors.push(message.text())
  })
  return errors
}

/** A signed-in page in a browser context of its own, and the errors it reports. */
export interface SignedInPage {
  context: BrowserContext
  page: Page
  errors: string[]
}

/** Opens a fresh context and page, collects its errors, and signs in as `who` (see `signIn`). */
export async function openSignedIn(
  browser: Browser,
  baseUrl: string,
  who: string,
  options: { viewport?: { width: number; height: number }; password?: string; beforeSignIn?: (page: Page) => void } = {},
): Promise<SignedInPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } })
  const page = await context.newPage()
  const errors = collectPageErrors(page)
  options.beforeSignIn?.(page)
  await signIn(page, baseUrl, who, options.password)
  return { context, page, errors }
}

/** Opens a section from the outline (in any interface language) and waits for its heading. */
export async function openSection(page: Page, title: string): Promise<void> {
  await page.locator('nav.sidebar a', { hasText: title }).click()
  await page.locator('main h1', { hasText: title }).waitFor()
}

/** Selects `text` in the section with the mouse: press before its first letter, release after its last. */
export async function dragSelect(page: Page, text: string): Promise<void> {
  const box = await page.locator('main .ProseMirror').evaluate((editor, needle) => {
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const at = node.data.indexOf(needle)
      if (at < 0) continue
      const rectOf = (offset: number) => {
        const range = document.createRange()
        range.setStart(node, offset)
        range.setEnd(node, offset + 1)
        return range.getBoundingClientRect()
      }
      const first = rectOf(at)
      const last = rectOf(at + needle.length - 1)
      return { startX: first.left + 1, startY: first.top + first.height / 2, endX: last.right - 1, endY: last.top + last.height / 2 }
    }
    return null
  }, text)
  if (!box) throw new Error(`"${text}" is not in one text node of the section`)
  await page.mouse.move(box.startX, box.startY)
  await page.mouse.down()
  await page.mouse.move(box.endX, box.endY, { steps: 8 })
  await page.mouse.up()
}
