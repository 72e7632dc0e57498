import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { parse as parseCookies } from 'cookie'
import { Limits } from '../../shared/limits.js'
import type { Database, UserRecord } from '../storage/database.js'

/** Name of the session cookie. */
export const SESSION_COOKIE = 'dr_session'

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** Sessions kept in the database, looked up by the hash of their cookie token. */
export class SessionService {
  constructor(private readonly db: Database) {}

  /** Starts a session for `user`; returns the token to set as the cookie. */
  async create(user: UserRecord): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url')
    const now = Date.now()
    const expiresAt = new Date(now + Limits.sessionMs)
    this.db.data.sessions = this.db.data.sessions.filter((session) => Date.parse(session.expiresAt) > now)
    this.db.data.sessions.push({
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: new Date(now).toISOString(),
      expiresAt: expiresAt.toISOString(),
    })
    await this.db.write()
    return { token, expiresAt }
  }

  /** The active user whose unexpired session `token` is, or null. */
  userFor(token: string | undefined): UserRecord | null {
    if (!token) return null
    const tokenHash = hashToken(token)
    const session = this.db.data.sessions.find((candidate) => candidate.tokenHash === tokenHash)
    if (!session || Date.parse(session.expiresAt) <= Date.now()) return null
    const user = this.db.data.users.find((candidate) => candidate.id === session.userId)
    return user && user.active ? user : null
  }

  /** The user of the session cookie on `request`, or null. */
  userOfRequest(request: IncomingMessage): UserRecord | null {
    return this.userFor(tokenOfRequest(request))
  }

  /** Ends every session of a user, e.g. when they are deactivated. */
  async destroyAllOf(userId: string): Promise<void> {
    this.db.data.sessions = this.db.data.sessions.filter((session) => session.userId !== userId)
    await this.db.write()
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token) return
    const tokenHash = hashToken(token)
    this.db.data.sessions = this.db.data.sessions.filter((session) => session.tokenHash !== tokenHash)
    await this.db.write()
  }
}

/** The session token in the request's cookies, if any. */
export function tokenOfRequest(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie
  return header ? parseCookies(header)[SESSION_COOKIE] : undefined
}
