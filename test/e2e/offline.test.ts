import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ARTIFACTS_DIR, BUILT_CLIENT_DIR, launchBrowser, openSection, openSignedIn } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/testServer.js'

/**
 * Issue 5, acceptance 2: a drafter goes offline, types, reloads and still
 * sees the text (the app starts from the service worker's cache, the text
 * from IndexedDB), goes online, and a second browser receives it; the
 * status line moves from "Offline" to "Saved". Readers keep nothing on the
 * device, and signing out forgets what it kept.
 */
let server: TestServer
let browser: Browser

const SECTION = 'Purpose of the strategy'
const TYPED_OFFLINE = ' Written in the field, without a connection.'
const TYPED_AFTER_RELOAD = ' Still offline after the reload.'

beforeAll(async () => {
  server = await startTestServer({ clientDir: BUILT_CLIENT_DIR })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

interface Person {
  context: BrowserContext
  page: Page
  errors: string[]
}

async function openSectionAs(role: 'drafter' | 'reviewer'): Promise<Person> {
  const { context, page, errors } = await openSignedIn(browser, server.url, role)
  await openSection(page, SECTION)
  await page.locator('main .ProseMirror').waitFor()
  return { context, page, errors }
}

const status = (page: Page) => page.locator('header [role=status]')
// The words shown; screen readers are told the same without the count, which changes at every keystroke.
const statusText = async (page: Page) => (await status(page).locator('.status-indicator__text').innerText()).trim()
const statusIs = (page: Page, state: string) => page.locator(`header [role=status][data-state="${state}"]`).waitFor()
const editorText = (page: Page) =>
  page.locator('main .ProseMirror').evaluate((editor) => {
    const copy = editor.cloneNode(true) as HTMLElement
    for (const cursor of copy.querySelectorAll('.ProseMirror-yjs-cursor')) cursor.remove()
    return copy.textContent ?? ''
  })

/** Focuses the editor and moves the caret with `key`. */
async function placeCaret(page: Page, key: string): Promise<void> {
  await page.locator('main .ProseMirror').focus()
  await page.keyboard.press(key)
  // ProseMirror picks up a browser-made selection change on the next event.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))))
}

/** Waits until the service worker serves the page and holds the API answers the app starts from. */
async function waitUntilReadyForOffline(page: Page): Promise<void> {
  const ready = () =>
    page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) return false
      const list = await caches.match('/api/documents')
      if (!(await caches.match('/api/me')) || !list) return false
      const documents = (await list.json()) as { id: string }[]
      const views = await Promise.all(documents.map((document) => caches.match(`/api/documents/${document.id}`)))
      return views.every(Boolean)
    })
  // waitForFunction does not wait for a promise, hence polling from here.
  await expect.poll(ready, { timeout: 15_000 }).toBe(true)
}

/** The names of this origin's IndexedDB databases that hold a copy of a section. */
const sectionStores = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).flatMap(({ name }) => (name?.startsWith('drafting-room:') ? [name] : [])))

/** The count of unacknowledged changes the app recorded beside the section's copy in IndexedDB. */
const unsentOnDevice = (page: Page, storeName: string) =>
  page.evaluate(
    (name) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(name)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const get = db.transaction('custom', 'readonly').objectStore('custom').get('unsent')
          get.onsuccess = () => {
            db.close()
            resolve(get.result)
          }
        }
      }),
    storeName,
  )

/** Records each `data-state` the status line takes from now on (until the page is reloaded). */
const recordStatus = (page: Page) =>
  status(page).evaluate((element) => {
    const seen = [element.dataset.state]
    Object.assign(window, { statusSeen: seen })
    new MutationObserver(() => {
      if (seen.at(-1) !== element.dataset.state) seen.push(element.dataset.state)
    }).observe(element, { attributes: true, attributeFilter: ['data-state'] })
  })
const statusSeen = (page: Page) => page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen)

const offlineText = /^Offline — (\d+) changes? kept on this device$/

// Going offline makes the browser log the connections it could not open;
// those are expected. While offline, a request the service worker answers
// with the network's failure (nothing kept for it) is logged as ERR_FAILED.
const unexpected = (errors: string[], [offlineFrom, offlineUntil]: [number, number]) =>
  errors.filter(
    (error, index) =>
      !/ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed/.test(error) &&
      !(index >= offlineFrom && index < offlineUntil && /ERR_FAILED/.test(error)),
  )

describe('writing offline', () => {
  it('keeps what a drafter types offline through a reload and delivers it once back online', async () => {
    const drafter = await openSectionAs('drafter')
    const { page } = drafter
    await page.locator('main .ProseMirror[contenteditable="true"]').waitFor()
    await statusIs(page, 'saved')
    await waitUntilReadyForOffline(page)
    const userId = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { id: string }).id)
    const sectionId = decodeURIComponent(new URL(page.url()).hash.replace('#/sections/', ''))
    const storeName = `drafting-room:${userId}:${sectionId}`
    expect(await sectionStores(page)).toEqual([storeName])

    // The network goes; the drafter keeps typing, and the status line says what waits where.
    const offlineFrom = drafter.errors.length
    await drafter.context.setOffline(true)
    await statusIs(page, 'offline')
    await placeCaret(page, 'Control+End')
    await page.keyboard.type(TYPED_OFFLINE)
    const offlineStatus = await statusText(page)
    const changes = Number(offlineText.exec(offlineStatus)?.[1])
    expect(changes, `status line: ${offlineStatus}`).toBeGreaterThan(0)
    expect(await status(page).locator('.visually-hidden').innerText()).toBe('Offline — your changes are kept on this device')
    await expect.poll(() => unsentOnDevice(page, storeName)).toBe(changes)
    // Closing the tab now would warn: the changes are not on the server.
    expect(await page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })))).toBe(true)
    await page.screenshot({ path: `${ARTIFACTS_DIR}offline-1-typing.png` })

    // Reloading without a network: the app, the section and the text come from the device.
    page.on('dialog', (dialog) => void dialog.accept())
    await page.reload()
    await page.locator('main h1', { hasText: SECTION }).waitFor()
    await page.locator('main .ProseMirror[contenteditable="true"]', { hasText: TYPED_OFFLINE.trim() }).waitFor()
    await statusIs(page, 'offline')
    expect(await statusText(page)).toBe(offlineStatus)
    await placeCaret(page, 'Control+End')
    await page.keyboard.type(TYPED_AFTER_RELOAD)
    await page.locator('main .ProseMirror', { hasText: TYPED_AFTER_RELOAD.trim() }).waitFor()
    expect(Number(offlineText.exec(await statusText(page))?.[1])).toBeGreaterThan(changes)
    await page.screenshot({ path: `${ARTIFACTS_DIR}offline-2-reloaded.png` })

    // A reviewer, online in a second browser, does not have it yet, and keeps nothing on the device.
    const reader = await openSectionAs('reviewer')
    await statusIs(reader.page, 'readonly')
    expect(await editorText(reader.page)).not.toContain(TYPED_OFFLINE.trim())

    // Back online: the drafter's text reaches the server and the reviewer; the status line ends at "Saved".
    await recordStatus(page)
    const offlineUntil = drafter.errors.length
    await drafter.context.setOffline(false)
    await statusIs(page, 'saved')
    expect(await statusText(page)).toBe('Saved')
    await reader.page.locator('main .ProseMirror', { hasText: TYPED_AFTER_RELOAD.trim() }).waitFor()
    expect(await editorText(reader.page)).toContain(TYPED_OFFLINE.trim())
    const seen = await statusSeen(page)
    expect(seen[0]).toBe('offline')
    expect(seen.at(-1)).toBe('saved')
    expect(seen.slice(1, -1).every((state) => ['connecting', 'reconnecting', 'saving'].includes(state))).toBe(true)
    await expect.poll(() => unsentOnDevice(page, storeName)).toBe(0)
    expect(await editorText(page)).toBe(await editorText(reader.page))
    expect(await sectionStores(reader.page)).toEqual([])
    await page.screenshot({ path: `${ARTIFACTS_DIR}offline-3-saved.png` })
    await reader.page.screenshot({ path: `${ARTIFACTS_DIR}offline-4-reviewer-receives.png` })

    expect(unexpected(drafter.errors, [offlineFrom, offlineUntil])).toEqual([])
    expect(reader.errors).toEqual([])
  })

  it('forgets what the device kept when the drafter signs out', async () => {
    const worker = await fetch(`${server.url}/sw.js`)
    expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(worker.headers.get('cache-control')).toBe('no-cache')

    const { page, errors } = await openSectionAs('drafter')
    await statusIs(page, 'saved')
    await waitUntilReadyForOffline(page)
    expect(await sectionStores(page)).toHaveLength(1)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').waitFor()
    expect(await sectionStores(page)).toEqual([])
    expect(await page.evaluate(async () => (await caches.match('/api/me')) === undefined)).toBe(true)
    expect(errors).toEqual([])
  })
})
