import type * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as idb from 'lib0/indexeddb'

const PREFIX = 'drafting-room'
// y-indexeddb's own object stores; ours is a key in `custom`.
const UPDATES_STORE = 'updates'
const CUSTOM_STORE = 'custom'
const UNSENT_KEY = 'unsent'
// IndexedDB can hang (a full disk, a blocked upgrade); past this the section opens without the device's copy.
const LOAD_TIMEOUT_MS = 3_000

/** The IndexedDB database that holds `userId`'s copy of `sectionId`. */
export function localStoreName(userId: string, sectionId: string): string {
  return `${PREFIX}:${userId}:${sectionId}`
}

/** What the device held for a section when its copy was loaded. */
export interface LocalCopy {
  /** The copy had content, now in the document. */
  found: boolean
  /** How many of the changes in it the server had not acknowledged when they were last counted. */
  unsent: number
}

/**
 * A writer's copy of one section on this device: the Y.Doc kept in
 * IndexedDB by y-indexeddb, every change written as it happens, so that text
 * typed offline survives a reload, a crash or a closed tab. Beside it, how
 * many of those changes the server has not yet acknowledged, so that after a
 * reload they still count as unsaved.
 */
export class LocalSectionStore {
  /**
   * Resolves once the stored copy has been applied to the document, or with
   * null if this device cannot keep it (no IndexedDB, or it did not answer);
   * the store is then closed and the section works without it.
   */
  readonly loaded: Promise<LocalCopy | null>
  private readonly persistence: IndexeddbPersistence
  // The count on the device; null until it has been read, so that nothing overwrites it first.
  private written: number | null = null
  private closed = false
  private settle: (copy: LocalCopy | null) => void = () => {}

  constructor(
    readonly name: string,
    doc: Y.Doc,
  ) {
    const persistence = new IndexeddbPersistence(name, doc)
    this.persistence = persistence
    let found = false
    const noticeLoad = (_update: Uint8Array, origin: unknown): void => {
      if (origin === persistence) found = true
    }
    doc.on('update', noticeLoad)
    const settled = new Promise<LocalCopy | null>((resolve) => (this.settle = resolve))
    const timer = setTimeout(() => this.settle(null), LOAD_TIMEOUT_MS)
    persistence._db.then(
      // Another tab deleting this copy (on sign-out) closes the database: stop writing to it first.
      (db) => (db.onversionchange = () => void this.destroy()),
      () => this.settle(null),
    )
    persistence.whenSynced
      .then(() => persistence.get(UNSENT_KEY))
      .then(
        (unsent: unknown) => this.settle({ found, unsent: typeof unsent === 'number' ? unsent : 0 }),
        () => this.settle(null),
      )
    this.loaded = settled.then((copy) => {
      clearTimeout(timer)
      doc.off('update', noticeLoad)
      if (!copy || this.closed) {
        void this.destroy()
        return null
      }
      this.written = copy.unsent
      return copy
    })
  }

  /** The transaction origin of the updates loaded from the device: they are not new changes. */
  get origin(): unknown {
    return this.persistence
  }

  /** Records how many changes the server has not acknowledged (once the copy is loaded; writes only changes). */
  setUnsent(count: number): void {
    if (this.closed || this.written === null || this.written === count) return
    this.written = count
    // A failed write leaves an older count: offline it shows a wrong number, while once connected
    // the sync step 2 carries whatever the server lacks regardless.
    this.persistence.set(UNSENT_KEY, count).catch(() => undefined)
  }

  /** Closes the store; the copy stays on the device. */
  async destroy(): Promise<void> {
    this.closed = true
    this.settle(null)
    await this.persistence.destroy().catch(() => undefined)
  }

  /** Closes the store and deletes the copy from the device. */
  async clear(): Promise<void> {
    // Asked before our own connection closes: IndexedDB handles the open and delete requests
    // for a name in order, so a store opened for this section afterwards starts empty.
    const deleted = deleteDatabase(this.name)
    await this.destroy()
    await deleted
  }
}

/** The sections of which the device holds `userId`'s changes that the server has not acknowledged. */
export async function sectionsWithUnsentChanges(userId: string): Promise<string[]> {
  const prefix = localStoreName(userId, '')
  const sectionIds: string[] = []
  for (const name of await storeNames(prefix)) {
    if ((await unsentIn(name)) > 0) sectionIds.push(name.slice(prefix.length))
  }
  return sectionIds
}

/** Deletes every section copy of `userId` from this device (on sign-out). */
export async function forgetLocalStores(userId: string): Promise<void> {
  const names = await storeNames(localStoreName(userId, ''))
  await Promise.all(names.map(deleteDatabase))
}

async function storeNames(prefix: string): Promise<string[]> {
  let databases: IDBDatabaseInfo[]
  try {
    databases = await indexedDB.databases()
  } catch {
    // No IndexedDB here (some private modes): nothing was kept.
    return []
  }
  return databases.flatMap(({ name }) => (name?.startsWith(prefix) ? [name] : []))
}

async function unsentIn(name: string): Promise<number> {
  let db: IDBDatabase
  try {
    db = await idb.openDB(name, (created) => idb.createStores(created, [[UPDATES_STORE, { autoIncrement: true }], [CUSTOM_STORE]]))
  } catch {
    return 0
  }
  try {
    const [custom] = idb.transact(db, [CUSTOM_STORE], 'readonly')
    const unsent: unknown = await idb.get(custom!, UNSENT_KEY)
    return typeof unsent === 'number' ? unsent : 0
  } catch {
    return 0
  } finally {
    db.close()
  }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => resolve()
    // Another tab still has it open; the browser deletes it once that tab lets go.
    request.onblocked = () => resolve()
  })
}
