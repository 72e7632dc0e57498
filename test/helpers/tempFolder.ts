import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'

/**
 * A fresh folder under the system's temp folder for each test of the
 * calling suite, removed after it; call the returned function for its path.
 */
export function tempFolderPerTest(prefix: string): () => string {
  let folder: string | null = null
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), prefix))
  })
  afterEach(async () => {
    if (folder) await rm(folder, { recursive: true, force: true })
    folder = null
  })
  return () => {
    if (!folder) throw new Error('The temp folder exists only while a test runs')
    return folder
  }
}
