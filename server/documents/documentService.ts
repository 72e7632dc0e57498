import * as Y from 'yjs'
import type { DocumentView, SectionView } from '../../shared/api.js'
import type { Database, SectionRecord } from '../storage/database.js'
import type { DocumentStore } from '../storage/documentStore.js'
import { sectionHash } from './sectionText.js'

/**
 * Documents and their sections as the API shows them. Hashes of section
 * text are cached and dropped whenever the section changes.
 */
export class DocumentService {
  private readonly hashes = new Map<string, string>()

  constructor(
    private readonly db: Database,
    private readonly store: DocumentStore,
    /** The live document of a section loaded in the relay, if it is. */
    private readonly liveDoc: (sectionId: string) => Promise<Y.Doc | null>,
  ) {}

  list(): { id: string; title: string }[] {
    return this.db.data.documents.map(({ id, title }) => ({ id, title }))
  }

  /** A section that was not deleted. */
  section(sectionId: string): SectionRecord | undefined {
    return this.db.data.sections.find((section) => section.id === sectionId && section.deletedAt === null)
  }

  /** A section, deleted or not. */
  anySection(sectionId: string): SectionRecord | undefined {
    return this.db.data.sections.find((section) => section.id === sectionId)
  }

  /** The sections of a document in order, without deleted ones. */
  sectionsOf(documentId: string): SectionRecord[] {
    return this.db.data.sections
      .filter((section) => section.documentId === documentId && section.deletedAt === null)
      .sort((a, b) => a.position - b.position)
  }

  /** The deleted sections of a document, most recently deleted first. */
  deletedSectionsOf(documentId: string): SectionRecord[] {
    return this.db.data.sections
      .filter((section) => section.documentId === documentId && section.deletedAt !== null)
      .sort((a, b) => (b.deletedAt ?? '').localeCompare(a.deletedAt ?? ''))
  }

  document(documentId: string): { id: string; title: string } | undefined {
    return this.db.data.documents.find((document) => document.id === documentId)
  }

  async view(documentId: string): Promise<DocumentView | null> {
    const document = this.db.data.documents.find((candidate) => candidate.id === documentId)
    if (!document) return null
    const sections: SectionView[] = []
    for (const section of this.sectionsOf(documentId)) sections.push(await this.sectionView(section))
    return { id: document.id, title: document.title, sections }
  }

  async sectionView(section: SectionRecord): Promise<SectionView> {
    const { approval, changeRequest } = section
    return {
      id: section.id,
      title: section.title,
      status: section.status,
      currentHash: await this.currentHash(section.id),
      approval: approval && { by: approval.by, at: approval.at, hash: approval.hash },
      changeRequest: changeRequest && { by: changeRequest.by, at: changeRequest.at, note: changeRequest.note },
    }
  }

  /** The hash of a section's current text. */
  async currentHash(sectionId: string): Promise<string> {
    const cached = this.hashes.get(sectionId)
    if (cached) return cached
    const live = await this.liveDoc(sectionId)
    let hash: string
    if (live) {
      hash = sectionHash(live)
    } else {
      const doc = new Y.Doc()
      const stored = await this.store.load(sectionId)
      if (stored) Y.applyUpdate(doc, stored)
      hash = sectionHash(doc)
      doc.destroy()
    }
    this.hashes.set(sectionId, hash)
    return hash
  }

  /** Forgets the cached hash of a section whose text changed. */
  textChanged(sectionId: string): void {
    this.hashes.delete(sectionId)
  }
}
