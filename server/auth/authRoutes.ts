import { Router, type RequestHandler, type Response } from 'express'
import { loginRequest, preferencesRequest } from '../../shared/api.js'
import { Limits } from '../../shared/limits.js'
import { ApiError, parseInput, unauthorized } from '../http/errors.js'
import type { Database, UserRecord } from '../storage/database.js'
import type { AuditLog } from '../audit/auditLog.js'
import { LoginThrottle } from './loginThrottle.js'
import { hashPassword, verifyPassword } from './passwords.js'
import { SESSION_COOKIE, tokenOfRequest, type SessionService } from './sessions.js'
import { userView } from './userView.js'

/** The signed-in user of a request that passed `requireUser`. */
export function currentUser(response: Response): UserRecord {
  return response.locals.user as UserRecord
}

/** Refuses requests without a valid session with a 401. */
export function requireUser(sessions: SessionService): RequestHandler {
  return (request, response, next) => {
    const user = sessions.userOfRequest(request)
    if (!user) throw unauthorized()
    response.locals.user = user
    next()
  }
}

/** Starts a session for `user` and sets its cookie on `response`. */
export function cookieSignIn(sessions: SessionService, options: { secureCookies: boolean }) {
  return async (user: UserRecord, response: Response): Promise<void> => {
    const { token } = await sessions.create(user)
    response.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies,
      path: '/',
      maxAge: Limits.sessionMs,
    })
  }
}

/** `POST /api/session` (sign in), `DELETE /api/session` (sign out), `GET|PATCH /api/me`. */
export function authRoutes(
  db: Database,
  sessions: SessionService,
  audit: AuditLog,
  options: { secureCookies: boolean },
): Router {
  const router = Router()
  const throttle = new LoginThrottle()
  const signIn = cookieSignIn(sessions, options)
  // Compared against when the email is unknown, so both cases take as long.
  const decoyHash = hashPassword('decoy password that matches nothing')

  router.post('/api/session', async (request, response) => {
    const { email, password } = parseInput(loginRequest, request.body)
    const address = request.ip ?? 'unknown'
    const wait = throttle.retryAfter(email, address)
    if (wait > 0) {
      response.setHeader('Retry-After', String(Math.ceil(wait / 1000)))
      throw new ApiError(429, 'too_many_attempts', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} minutes`)
    }
    const user = db.data.users.find((candidate) => candidate.email === email)
    const hash = user && user.passwordHash !== '' ? user.passwordHash : await decoyHash
    const valid = await verifyPassword(password, hash)
    if (!user || !valid || !user.active) {
      throttle.failed(email, address)
      await audit.record({
        actor: user ?? { id: null, name: email },
        action: 'login_failed',
        details: !user ? 'unknown email' : !user.active ? 'deactivated account' : 'wrong password',
        ip: request.ip ?? null,
      })
      throw new ApiError(401, 'invalid_credentials', 'The email or password is not right')
    }
    throttle.succeeded(email)
    await signIn(user, response)
    await audit.record({ actor: user, action: 'login', ip: request.ip ?? null })
    response.json(userView(user))
  })

  router.delete('/api/session', async (request, response) => {
    const user = sessions.userOfRequest(request)
    await sessions.destroy(tokenOfRequest(request))
    if (user) await audit.record({ actor: user, action: 'logout', ip: request.ip ?? null })
    response.clearCookie(SESSION_COOKIE, { path: '/' })
    response.status(204).end()
  })

  router.get('/api/me', requireUser(sessions), (_request, response) => {
    response.json(userView(currentUser(response)))
  })

  router.patch('/api/me', requireUser(sessions), async (request, response) => {
    const { language } = parseInput(preferencesRequest, request.body)
    const user = currentUser(response)
    user.language = language
    await db.write()
    response.json(userView(user))
  })

  return router
}
