import { Router, type RequestHandler, type Response } from 'express'
import { loginRequest } from '../../shared/api.js'
import { Limits } from '../../shared/limits.js'
import { ApiError, parseInput, unauthorized } from '../http/errors.js'
import type { Database, UserRecord } from '../storage/database.js'
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

/** `POST /api/session` (sign in), `DELETE /api/session` (sign out), `GET /api/me`. */
export function authRoutes(db: Database, sessions: SessionService, options: { secureCookies: boolean }): Router {
  const router = Router()
  // Compared against when the email is unknown, so both cases take as long.
  const decoyHash = hashPassword('decoy password that matches nothing')

  router.post('/api/session', async (request, response) => {
    const { email, password } = parseInput(loginRequest, request.body)
    const user = db.data.users.find((candidate) => candidate.email === email)
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash))
    if (!user || !valid || !user.active) {
      throw new ApiError(401, 'invalid_credentials', 'The email or password is not right')
    }
    const { token, expiresAt } = await sessions.create(user)
    response.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies,
      path: '/',
      maxAge: Limits.sessionMs,
      expires: expiresAt,
    })
    response.json(userView(user))
  })

  router.delete('/api/session', async (request, response) => {
    await sessions.destroy(tokenOfRequest(request))
    response.clearCookie(SESSION_COOKIE, { path: '/' })
    response.status(204).end()
  })

  router.get('/api/me', requireUser(sessions), (_request, response) => {
    response.json(userView(currentUser(response)))
  })

  return router
}
