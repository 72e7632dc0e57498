import { open, rename, unlink } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'

/**
 * Replaces `path` with `data` so that a crash leaves either the old or the new
 * content, never a mix: write a temp file beside it, fsync it, rename it over
 * the target, then fsync the folder so the rename itself is durable.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const file = await open(temp, 'w', 0o600)
  try {
    await file.writeFile(data)
    await file.sync()
  } catch (error) {
    await file.close()
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await file.close()
  await rename(temp, path)
  await syncFolder(dirname(path))
}

/** Makes entries created or renamed in `folder` durable. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
