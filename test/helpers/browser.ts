import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { DEMO_PASSWORD } from './testServer.js'

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

/** Signs in through the login page as a demo user (`drafter`, `reviewer`, …). */
export async function signIn(page: Page, baseUrl: string, role: string): Promise<void> {
  await page.goto(baseUrl)
  await page.getByLabel('Email').fill(`${role}@demo.local`)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('main .ProseMirror').waitFor()
}

/** Fails the test on any error the page logs or throws. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  return errors
}
