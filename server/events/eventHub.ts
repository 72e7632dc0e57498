import type { Response } from 'express'
import type { DocumentEvent } from '../../shared/api.js'

const HEARTBEAT_MS = 25_000

/**
 * Server-sent event streams, one per open client and document. Live changes
 * (presence now; threads and statuses later) are pushed here, so clients
 * never poll.
 */
export class EventHub {
  private readonly streams = new Map<string, Set<Response>>()
  private readonly users = new Map<Response, string>()
  private readonly heartbeat: NodeJS.Timeout

  constructor() {
    // Proxies drop silent connections; a comment line keeps them open.
    this.heartbeat = setInterval(() => {
      for (const streams of this.streams.values()) for (const response of streams) response.write(': keep-alive\n\n')
    }, HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  /** Turns `response` into `userId`'s event stream for `documentId`, starting with `initial`. */
  subscribe(documentId: string, userId: string, response: Response, initial: DocumentEvent[]): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    const streams = this.streams.get(documentId) ?? new Set<Response>()
    this.streams.set(documentId, streams)
    streams.add(response)
    this.users.set(response, userId)
    response.on('close', () => {
      streams.delete(response)
      this.users.delete(response)
      if (streams.size === 0) this.streams.delete(documentId)
    })
    for (const event of initial) response.write(format(event))
  }

  publish(documentId: string, event: DocumentEvent): void {
    const streams = this.streams.get(documentId)
    if (!streams) return
    const message = format(event)
    for (const response of streams) response.write(message)
  }

  /** Ends every stream of a user, e.g. when they are deactivated. */
  disconnectUser(userId: string): void {
    for (const [response, owner] of this.users) if (owner === userId) response.end()
  }

  close(): void {
    clearInterval(this.heartbeat)
    for (const streams of this.streams.values()) for (const response of streams) response.end()
    this.streams.clear()
  }
}

function format(event: DocumentEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
}
