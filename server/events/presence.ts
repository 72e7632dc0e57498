import type { PresenceUser } from '../../shared/api.js'
import type { EventHub } from './eventHub.js'

/** Joins and departures within this many milliseconds reach the streams as one event. */
const PRESENCE_WAIT_MS = 200

/**
 * Who is in each section of a document, told to the document's event
 * streams. A plenary opening one section puts a hundred people in it within
 * seconds; an event per arrival, each listing every section and sent to
 * every open browser, grew with the square of the room. Changes close
 * together go out as one event, with everything as it then is.
 */
export class Presence {
  private readonly due = new Map<string, NodeJS.Timeout>()
  private closed = false

  constructor(
    private readonly sectionsOf: (documentId: string) => string[],
    private readonly documentOf: (sectionId: string) => string | null,
    private readonly presentIn: (sectionId: string) => Promise<PresenceUser[]>,
    private readonly events: EventHub,
  ) {}

  /** Who is in each section of `documentId` now. */
  async of(documentId: string): Promise<Record<string, PresenceUser[]>> {
    const sections: Record<string, PresenceUser[]> = {}
    // A section whose loading failed has no one in it.
    for (const sectionId of this.sectionsOf(documentId)) sections[sectionId] = await this.presentIn(sectionId).catch(() => [])
    return sections
  }

  /** Someone joined or left `sectionId`: its document's streams hear of it shortly. */
  changed(sectionId: string): void {
    if (this.closed) return
    const documentId = this.documentOf(sectionId)
    if (documentId === null || this.due.has(documentId)) return
    const timer = setTimeout(() => {
      this.due.delete(documentId)
      void this.of(documentId)
        .then((sections) => this.events.publish(documentId, { type: 'presence', sections }))
        // A stream that broke is the hub's to drop; the next change tells the others.
        .catch(() => undefined)
    }, PRESENCE_WAIT_MS)
    this.due.set(documentId, timer)
  }

  /** Stops telling: the server is closing, and its sections' members leave. */
  close(): void {
    this.closed = true
    for (const timer of this.due.values()) clearTimeout(timer)
    this.due.clear()
  }
}
