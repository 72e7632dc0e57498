import type { PresenceUser } from '../../shared/api.js'

/** Who is in which section of a document: section id → people, in join order. */
export type Presence = Record<string, PresenceUser[]>

const RETRY_MS = [2_000, 5_000, 15_000, 30_000]

function isPresenceUser(value: unknown): value is PresenceUser {
  if (typeof value !== 'object' || value === null) return false
  const user = value as Record<string, unknown>
  return (
    typeof user.id === 'string' &&
    typeof user.name === 'string' &&
    typeof user.organisation === 'string' &&
    typeof user.color === 'string'
  )
}

/** Reads a `presence` event's data, keeping only well-formed entries. */
export function parsePresence(data: string): Presence | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(data)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const sections = (parsed as { sections?: unknown }).sections
  if (typeof sections !== 'object' || sections === null) return null
  const presence: Presence = {}
  for (const [sectionId, people] of Object.entries(sections)) {
    if (Array.isArray(people)) presence[sectionId] = people.filter(isPresenceUser)
  }
  return presence
}

/** What a document's event stream reports to its owner. */
export interface DocumentEventHandlers {
  presence(presence: Presence): void
  /**
   * The stream was refused rather than interrupted (the browser gives no
   * status, so the owner checks the session). Return false to stop retrying.
   */
  refused(): Promise<boolean>
}

/**
 * The server-sent event stream of one open document
 * (`/api/documents/:id/events`). EventSource reconnects by itself after a
 * network drop; when the server refuses the stream (e.g. a 401), EventSource
 * gives up, so we ask the owner and retry with a growing delay.
 */
export class DocumentEvents {
  private source: EventSource | null = null
  private retryTimer: number | null = null
  private failures = 0
  private closed = false

  constructor(
    readonly documentId: string,
    private readonly handlers: DocumentEventHandlers,
  ) {
    this.open()
  }

  /** Stops the stream for good. */
  close(): void {
    this.closed = true
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer)
    this.source?.close()
    this.source = null
  }

  private open(): void {
    const source = new EventSource(`/api/documents/${encodeURIComponent(this.documentId)}/events`)
    this.source = source
    source.addEventListener('open', () => {
      this.failures = 0
    })
    source.addEventListener('presence', (event) => {
      const presence = parsePresence((event as MessageEvent<string>).data)
      if (presence) this.handlers.presence(presence)
    })
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED || this.closed) return
      source.close()
      const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!
      this.failures++
      this.retryTimer = window.setTimeout(() => {
        this.retryTimer = null
        void this.handlers.refused().then((retry) => {
          if (retry && !this.closed) this.open()
        })
      }, delay)
    })
  }
}
