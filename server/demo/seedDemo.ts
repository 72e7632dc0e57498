import { randomUUID } from 'node:crypto'
import type { Database } from '../storage/database.js'
import type { DocumentStore } from '../storage/documentStore.js'
import { hashPassword } from '../auth/passwords.js'
import { initialSectionUpdate } from '../documents/sectionText.js'
import { newSectionId } from '../documents/ids.js'
import { DEMO_DOCUMENT_TITLE, DEMO_SECTIONS, DEMO_USERS } from './demoWorkspace.js'
import { DEMO_INPUTS } from './demoInputs.js'

/** Author recorded for text the server itself wrote (seeding, restores). */
export const SYSTEM_AUTHOR = 'system'

/**
 * Seeds the demo workspace into an empty data folder: the four demo users,
 * the strategy document and its sections with their opening text, and the
 * conference inputs of the concept note. Does
 * nothing if the database already holds users.
 */
export async function seedDemoWorkspace(db: Database, store: DocumentStore, password: string): Promise<boolean> {
  if (db.data.users.length > 0) return false
  const now = new Date().toISOString()
  const passwordHash = await hashPassword(password)
  for (const user of DEMO_USERS) {
    db.data.users.push({ id: randomUUID(), ...user, passwordHash, active: true, createdAt: now })
  }
  const documentId = randomUUID()
  db.data.documents.push({ id: documentId, title: DEMO_DOCUMENT_TITLE, createdAt: now })
  for (const [position, section] of DEMO_SECTIONS.entries()) {
    const id = newSectionId()
    await store.append(id, [
      { update: initialSectionUpdate({ type: 'doc', content: section.body }), author: SYSTEM_AUTHOR, at: Date.now() },
    ])
    db.data.sections.push({
      id,
      documentId,
      title: section.title,
      position,
      status: 'drafting',
      approval: null,
      changeRequest: null,
      createdAt: now,
      deletedAt: null,
    })
  }
  const admin = db.data.users.find((user) => user.role === 'admin')!
  for (const input of DEMO_INPUTS) {
    db.data.inputs.push({
      id: randomUUID(),
      documentId,
      ...input,
      addedBy: admin.id,
      addedAt: now,
      status: 'open',
      deferredReason: null,
      addressedIn: [],
      mergedInto: null,
    })
  }
  await db.write()
  return true
}
