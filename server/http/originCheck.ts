import type { IncomingMessage } from 'node:http'
import type { RequestHandler } from 'express'
import { ApiError } from './errors.js'

/**
 * Whether a request comes from our own pages. Browsers send `Origin` with
 * every cross-site request, so a foreign one is refused; non-browser clients
 * that send none are let through (their cookies cannot be borrowed).
 */
export function isSameOrigin(request: IncomingMessage, trustProxy: boolean): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  const forwardedHost = trustProxy ? request.headers['x-forwarded-host'] : undefined
  const host = (Array.isArray(forwardedHost) ? forwardedHost[0] : forwardedHost?.split(',')[0]?.trim()) ?? request.headers.host
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/** Refuses state-changing API requests from foreign origins with a 403. */
export function requireSameOrigin(trustProxy: boolean): RequestHandler {
  return (request, _response, next) => {
    const safe = request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS'
    if (!safe && !isSameOrigin(request, trustProxy)) {
      throw new ApiError(403, 'foreign_origin', 'Requests from other sites are not accepted')
    }
    next()
  }
}
