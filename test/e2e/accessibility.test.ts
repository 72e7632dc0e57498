import { createRequire } from 'node:module'
import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AxeResults, Result } from 'axe-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startTestServer, DEMO_PASSWORD, type TestServer } from '../helpers/testServer.js'
import { ARTIFACTS_DIR, BUILT_CLIENT_DIR, collectPageErrors, dragSelect, launchBrowser } from '../helpers/browser.js'

/**
 * The screens people work in, checked by axe-core in real Chromium: the
 * sign-in page, a section open in the editor, the comments panel with a
 * thread open, the history panel comparing a version, the inputs page, the
 * coverage report and the admin users page — in English and in Arabic
 * (right to left), in the light and in the dark colour scheme. Any violation
 * axe rates "serious" or "critical" fails the test, and the failure lists
 * each rule, its impact, the elements (CSS selectors) and what to fix.
 * Lesser findings are written to the artifacts folder with the screenshots.
 */
let server: TestServer
let browser: Browser

const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source
const QUOTE = 'reduce the risks migrants face'
const VERSION_NAME = 'Draft for the regional conference'

type Language = 'en' | 'ar'
type Scheme = 'light' | 'dark'
interface Finding {
  screen: string
  id: string
  impact: string
  help: string
  helpUrl: string
  nodes: { target: string; summary: string }[]
}

const BLOCKING = new Set(['serious', 'critical'])
const everything: Record<string, Finding[]> = {}

beforeAll(async () => {
  server = await startTestServer({ clientDir: BUILT_CLIENT_DIR })
  browser = await launchBrowser()
  await prepareContent()
})

afterAll(async () => {
  await writeFile(`${ARTIFACTS_DIR}a11y-findings.json`, `${JSON.stringify(everything, null, 2)}\n`).catch(() => undefined)
  await browser?.close()
  await server?.close()
})

/**
 * Gives the screens something to show: a reviewer's comment thread on the
 * first section, and a named version of it followed by more text, so that
 * the history panel has a comparison to draw.
 */
async function prepareContent(): Promise<void> {
  // Structural selectors only: the interface texts are being translated.
  const reviewer = await openLogin('en', 'light')
  await signIn(reviewer.page, 'reviewer', 'en')
  await reviewer.page.locator('main .ProseMirror', { hasText: QUOTE }).waitFor()
  await dragSelect(reviewer.page, QUOTE)
  await reviewer.page.locator('.toolbar .toolbar__button--labelled:not([disabled])').waitFor()
  await reviewer.page.keyboard.press('Control+Alt+m')
  const composer = reviewer.page.getByTestId('composer')
  await composer.locator('textarea').first().fill('Could we name the main risks here, for example in detention and at sea?')
  await composer.getByTestId('composer-submit').click()
  await reviewer.page.getByTestId('thread-card').first().waitFor()
  await reviewer.context.close()

  const drafter = await openLogin('en', 'light')
  const { page } = drafter
  await signIn(page, 'drafter', 'en')
  const editor = page.locator('main .ProseMirror[contenteditable="true"]')
  await editor.waitFor()
  await page.locator('.history-toggle').click()
  const panel = page.getByTestId('history-panel')
  await panel.locator('.history-panel__name input').fill(VERSION_NAME)
  await panel.locator('.history-panel__name button[type=submit]').click()
  await panel.locator('li.version[data-kind="named"]').waitFor()
  await editor.locator('p').last().click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(' The committee adds a sentence after naming the version.')
  await page.waitForTimeout(300)
  await page.locator('header [data-state="saved"]').waitFor()
  await drafter.context.close()
}

/** A browser context in a colour scheme, on the sign-in page, in `language` chosen as a user would: with the picker. */
async function openLogin(language: Language, scheme: Scheme): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, reducedMotion: 'reduce', locale: 'en-GB' })
  const page = await context.newPage()
  const errors = collectPageErrors(page)
  await page.goto(server.url)
  await page.locator('input[type=email]').waitFor()
  if (language !== 'en') {
    await page.locator('select.language-picker__select').selectOption(language)
  }
  await page.locator(`html[lang="${language}"]`).waitFor()
  await page.locator('input[type=email]').waitFor()
  return { context, page, errors }
}

/** Signs in through the form without relying on its (translated) labels. */
async function signIn(page: Page, who: string, language: Language): Promise<void> {
  await page.locator('input[type=email]').fill(`${who}@demo.local`)
  await page.locator('input[type=password]').fill(DEMO_PASSWORD)
  await page.locator('form button[type=submit]').click()
  await page.locator('main .ProseMirror').waitFor()
  // The account's saved language would win over the device's; these accounts have none.
  await page.locator(`html[lang="${language}"][dir="${language === 'ar' ? 'rtl' : 'ltr'}"]`).waitFor()
}

/** Runs axe on the whole page, saves a screenshot, and returns what it found. */
async function audit(page: Page, label: string, screen: string): Promise<Finding[]> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  await page.waitForTimeout(250)
  await page.screenshot({ path: `${ARTIFACTS_DIR}a11y-${label}-${screen}.png` })
  // The app's Content-Security-Policy forbids injected <script> tags; evaluation over the DevTools protocol is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  )) as AxeResults
  return results.violations.map((violation: Result) => ({
    screen,
    id: violation.id,
    impact: violation.impact ?? 'unknown',
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : String(part))).join(' '),
      summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
    })),
  }))
}

function describeFindings(label: string, findings: Finding[]): string {
  const lines = [`${findings.length} serious or critical axe violation(s) in ${label}:`]
  for (const finding of findings) {
    lines.push(`- [${finding.screen}] ${finding.id} (${finding.impact}): ${finding.help} — ${finding.helpUrl}`)
    for (const node of finding.nodes.slice(0, 8)) {
      lines.push(`    ${node.target}`)
      if (node.summary) lines.push(`      ${node.summary.slice(0, 300)}`)
    }
    if (finding.nodes.length > 8) lines.push(`    … and ${finding.nodes.length - 8} more`)
  }
  return lines.join('\n')
}

const COMBINATIONS: { language: Language; scheme: Scheme }[] = [
  { language: 'en', scheme: 'light' },
  { language: 'en', scheme: 'dark' },
  { language: 'ar', scheme: 'light' },
  { language: 'ar', scheme: 'dark' },
]

describe('accessibility of the main screens (axe-core)', () => {
  it.each(COMBINATIONS)(
    'has no serious or critical violations in $language, $scheme scheme',
    async ({ language, scheme }) => {
      const label = `${language}-${scheme}`
      const findings: Finding[] = []
      const check = async (page: Page, screen: string) => findings.push(...(await audit(page, label, screen)))

      // The sign-in page, then a drafter's first section with its comments.
      const drafter = await openLogin(language, scheme)
      const { page } = drafter
      await check(page, 'login')
      await signIn(page, 'drafter', language)
      await page.locator('main .ProseMirror[contenteditable="true"]', { hasText: QUOTE }).waitFor()
      await page.getByTestId('thread-card').first().waitFor()
      await check(page, 'editor')

      // A thread brought forward from its highlight.
      await page.locator('main .ProseMirror .comment-highlight').first().click()
      await page.locator('[data-testid=thread-card].thread-card--focused').waitFor()
      await check(page, 'comments')

      // The history panel comparing the named version with the text now.
      await page.locator('.history-toggle').click()
      const history = page.getByTestId('history-panel')
      const named = history.locator('li.version[data-kind="named"]').first()
      await named.waitFor()
      await named.locator('button.button:not(.button--quiet)').first().click()
      await history.getByTestId('diff').waitFor()
      await check(page, 'history')

      await page.goto(`${server.url}/#/inputs`)
      await page.getByTestId('input-list').locator('li').first().waitFor()
      await check(page, 'inputs')

      await page.goto(`${server.url}/#/coverage`)
      await page.locator('[data-testid=coverage-page] .report-summary').waitFor()
      await check(page, 'coverage')
      expect(drafter.errors).toEqual([])
      await drafter.context.close()

      // The admin users page, in a context (and sign-in) of its own.
      const admin = await openLogin(language, scheme)
      await signIn(admin.page, 'admin', language)
      await admin.page.goto(`${server.url}/#/admin/users`)
      await admin.page.locator('table.data-table tbody tr').first().waitFor()
      await check(admin.page, 'admin-users')
      expect(admin.errors).toEqual([])
      await admin.context.close()

      everything[label] = findings
      const blocking = findings.filter((finding) => BLOCKING.has(finding.impact))
      expect(blocking.length, describeFindings(label, blocking)).toBe(0)
    },
    240_000,
  )
})
