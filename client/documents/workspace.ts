import type { DocumentSummary, DocumentView, SectionView } from '../../shared/api.js'
import { ApiError, fetchDocument, fetchDocuments } from '../api.js'

/** A section together with the document it belongs to. */
export interface SectionPlace {
  document: DocumentView
  section: SectionView
  /** 0-based position of the section in its document. */
  index: number
}

/**
 * The documents the signed-in user can see, fetched on demand and kept so
 * that moving between sections does not wait for the network, and so that a
 * flaky connection still shows the last known outline.
 */
export class Workspace {
  private summaries: DocumentSummary[] | null = null
  private readonly views = new Map<string, DocumentView>()
  // Counts views pushed by event streams, so that a fetch overtaken by one does not undo it.
  private readonly pushes = new Map<string, number>()

  /** The document list, fetched once per session. */
  async documents(): Promise<DocumentSummary[]> {
    if (!this.summaries) this.summaries = await fetchDocuments()
    return this.summaries
  }

  /** The last fetched view of a document, if any. */
  cached(documentId: string): DocumentView | null {
    return this.views.get(documentId) ?? null
  }

  /** Fetches a document anew (section titles and statuses change) and keeps it. */
  async refresh(documentId: string): Promise<DocumentView> {
    const before = this.pushes.get(documentId)
    const view = await fetchDocument(documentId)
    const newer = this.pushes.get(documentId) !== before ? this.views.get(documentId) : undefined
    if (newer) return newer
    this.views.set(documentId, view)
    return view
  }

  /** Keeps a document as its event stream just described it. */
  remember(view: DocumentView): void {
    this.pushes.set(view.id, (this.pushes.get(view.id) ?? 0) + 1)
    this.views.set(view.id, view)
  }

  /** The first document with its sections, or null when there is no document. */
  async firstDocument(): Promise<DocumentView | null> {
    const [first] = await this.documents()
    return first ? (this.cached(first.id) ?? (await this.refresh(first.id))) : null
  }

  /**
   * Finds the section with `sectionId`: first in the documents already
   * fetched, then by fetching the others. Null if no document has it.
   */
  async findSection(sectionId: string): Promise<SectionPlace | null> {
    for (const view of this.views.values()) {
      const place = placeIn(view, sectionId)
      if (place) return place
    }
    for (const summary of await this.documents()) {
      if (this.views.has(summary.id)) continue
      let view: DocumentView
      try {
        view = await this.refresh(summary.id)
      } catch (error) {
        // A document removed since the list was fetched is simply not the one.
        if (error instanceof ApiError && error.status === 404) continue
        throw error
      }
      const place = placeIn(view, sectionId)
      if (place) return place
    }
    return null
  }
}

/** Where `sectionId` is in `document`, or null. */
export function placeIn(document: DocumentView, sectionId: string): SectionPlace | null {
  const index = document.sections.findIndex((section) => section.id === sectionId)
  return index < 0 ? null : { document, section: document.sections[index]!, index }
}
