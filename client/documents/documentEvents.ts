import type { DocumentView, PresenceUser } from '../../shared/api.js'
import type { InputView } from '../../shared/inputs.js'
import type { ThreadView } from '../../shared/threads.js'
import type { VersionView } from '../../shared/versions.js'

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

/**
 * Reads a `document` event's data: the document anew after a section's
 * status, approval, title or order changed, or a section was added or deleted.
 */
export function parseDocument(data: string): DocumentView | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(data)
  } catch {
    return null
  }
  const document = (parsed as { document?: unknown } | null)?.document
  if (typeof document !== 'object' || document === null) return null
  const view = document as Partial<DocumentView>
  return typeof view.id === 'string' && typeof view.title === 'string' && Array.isArray(view.sections) ? (view as DocumentView) : null
}

/** Reads the data of a `thread`, `input` or `input_merged` event, or null if it is not an object. */
function parseChange(data: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(data)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null
  } catch {
    return null
  }
}

const hasId = (value: unknown): boolean => typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'

/** Live changes for the panels of the open document; each listens to what it shows. */
export interface DocumentListener {
  presence?(presence: Presence): void
  /** A thread was started or changed (reply, edit, resolution, suggestion, disposition, links). */
  thread?(thread: ThreadView): void
  /** A conference input was added or changed. */
  input?(input: InputView): void
  /** A duplicate input was merged into `into`. */
  inputMerged?(inputId: string, into: string): void
  /** A section got a new version (checkpoint, named version, status change or restore). */
  version?(version: VersionView): void
  /** The stream is back after a break: changes may have been missed, so fetch afresh. */
  resync?(): void
}

/** What a document's event stream reports to its owner. */
export interface DocumentEventHandlers {
  presence(presence: Presence): void
  /** The document's sections changed; `view` is the whole document as it is now. */
  document(view: DocumentView): void
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
  private opened = false
  private latestPresence: Presence = {}
  private readonly listeners = new Set<DocumentListener>()

  constructor(
    readonly documentId: string,
    private readonly handlers: DocumentEventHandlers,
  ) {
    this.open()
  }

  /** Who is where, as last reported. */
  get presence(): Presence {
    return this.latestPresence
  }

  /** Calls `listener` on live changes until the returned function is called. */
  listen(listener: DocumentListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
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
      if (this.opened) for (const listener of this.listeners) listener.resync?.()
      this.opened = true
    })
    source.addEventListener('presence', (event) => {
      const presence = parsePresence((event as MessageEvent<string>).data)
      if (!presence) return
      this.latestPresence = presence
      this.handlers.presence(presence)
      for (const listener of this.listeners) listener.presence?.(presence)
    })
    source.addEventListener('thread', (event) => {
      const thread = parseChange((event as MessageEvent<string>).data)?.thread
      if (hasId(thread)) for (const listener of this.listeners) listener.thread?.(thread as ThreadView)
    })
    source.addEventListener('input', (event) => {
      const input = parseChange((event as MessageEvent<string>).data)?.input
      if (hasId(input)) for (const listener of this.listeners) listener.input?.(input as InputView)
    })
    source.addEventListener('input_merged', (event) => {
      const change = parseChange((event as MessageEvent<string>).data)
      if (typeof change?.inputId === 'string' && typeof change.into === 'string') {
        for (const listener of this.listeners) listener.inputMerged?.(change.inputId, change.into)
      }
    })
    source.addEventListener('version', (event) => {
      const version = parseChange((event as MessageEvent<string>).data)?.version
      if (hasId(version)) for (const listener of this.listeners) listener.version?.(version as VersionView)
    })
    source.addEventListener('document', (event) => {
      const view = parseDocument((event as MessageEvent<string>).data)
      if (view) this.handlers.document(view)
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
