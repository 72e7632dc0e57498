import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser } from 'playwright-core'
import { startTestServer, type TestServer } from '../helpers/testServer.js'
import { ARTIFACTS_DIR, launchBrowser } from '../helpers/browser.js'

/**
 * What a browser's Print makes of the HTML export: Chromium renders the
 * page and prints it to PDF, and poppler's pdfinfo and pdftotext read the
 * PDF back.
 */
const run = promisify(execFile)
let server: TestServer
let browser: Browser

beforeAll(async () => {
  server = await startTestServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function pdfText(file: string, page: number): Promise<string> {
  const { stdout } = await run('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-'])
  return stdout
}

describe('printing the HTML export', () => {
  it('gives a PDF of one page or more, with the document title on the first page and the sections after it', async () => {
    const { cookie } = await server.login('reviewer')
    const document = await server.demoDocument(cookie)
    const response = await fetch(`${server.url}/api/documents/${document.id}/export?format=html`, { headers: { cookie } })
    expect(response.status).toBe(200)
    const html = await response.text()

    const page = await (await browser.newContext({ viewport: { width: 1024, height: 900 } })).newPage()
    await page.setContent(html, { waitUntil: 'load' })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'print-export.png'), fullPage: true })
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const file = join(ARTIFACTS_DIR, 'print-export.pdf')
    await writeFile(file, pdf)

    const { stdout: info } = await run('pdfinfo', [file])
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1])
    expect(pages).toBeGreaterThanOrEqual(2)
    const first = await pdfText(file, 1)
    expect(first).toContain('Movement Strategy on Migration')
    expect(first).toMatch(/Exported on \d{1,2} \w+ \d{4}/)
    // The title page stands alone; the first section starts on the next page.
    expect(first).not.toContain('This strategy sets out how')
    const second = await pdfText(file, 2)
    expect(second).toContain(document.sections[0]!.title)
    expect(second).toContain('This strategy sets out how')
  })
})
