import { Router, type Request, type Response } from 'express'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import {
  acceptInviteRequest,
  inviteUserRequest,
  updateUserRequest,
  type AdminUserView,
  type InviteCreatedView,
  type InviteView,
} from '../../shared/api.js'
import { CloseCode } from '../../shared/closeCodes.js'
import type { PersonView } from '../../shared/inputs.js'
import type { AuditLog } from '../audit/auditLog.js'
import { currentUser, requireUser } from '../auth/authRoutes.js'
import { hashPassword } from '../auth/passwords.js'
import { requireCan } from '../auth/permissions.js'
import type { SessionService } from '../auth/sessions.js'
import { userView } from '../auth/userView.js'
import type { Relay } from '../collab/relay.js'
import type { EventHub } from '../events/eventHub.js'
import { ApiError, notFound, parseInput } from '../http/errors.js'
import type { Database, UserRecord } from '../storage/database.js'

const INVITE_MS = 7 * 24 * 60 * 60 * 1000
const USER_COLORS = ['#0b7a75', '#b54708', '#1d4ed8', '#6b4fbb', '#a1236b', '#3f6212', '#9a3412', '#0e7490', '#7c3aed', '#be123c']

/** Everything the user routes work with. */
export interface UserRouteDeps {
  db: Database
  sessions: SessionService
  relay: Relay
  events: EventHub
  audit: AuditLog
  /** Sets the session cookie for a user who just set their password. */
  signIn: (user: UserRecord, response: Response) => Promise<void>
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/**
 * User administration (admins): list, invite with a one-time link, change
 * role, rename, deactivate and reactivate. And the invite link itself: see
 * who it is for, set a password.
 */
export function userRoutes(deps: UserRouteDeps): Router {
  const { db, sessions, relay, events, audit } = deps
  const router = Router()
  const admin = [requireUser(sessions), requireCan('users.manage')]

  const adminView = (user: UserRecord): AdminUserView => ({
    ...userView(user),
    active: user.active,
    createdAt: user.createdAt,
    invitePending: user.passwordHash === '',
  })
  const userOf = (request: Request): UserRecord => {
    const user = db.data.users.find((candidate) => candidate.id === request.params.id)
    if (!user) throw notFound('User')
    return user
  }
  const createInvite = (user: UserRecord, by: UserRecord): { invitePath: string; expiresAt: string } => {
    const token = randomBytes(32).toString('base64url')
    const expiresAt = new Date(Date.now() + INVITE_MS).toISOString()
    db.data.invites = db.data.invites.filter((invite) => invite.userId !== user.id)
    db.data.invites.push({
      tokenHash: hashToken(token),
      userId: user.id,
      createdBy: by.id,
      createdAt: new Date().toISOString(),
      expiresAt,
      usedAt: null,
    })
    return { invitePath: `/#/invite/${token}`, expiresAt }
  }
  const validInvite = (token: string) => {
    const invite = db.data.invites.find((candidate) => candidate.tokenHash === hashToken(token))
    if (!invite || invite.usedAt !== null || Date.parse(invite.expiresAt) <= Date.now()) {
      throw new ApiError(410, 'invite_invalid', 'This invite link has expired or was already used; ask the secretariat for a new one')
    }
    const user = db.data.users.find((candidate) => candidate.id === invite.userId)
    if (!user) throw new ApiError(410, 'invite_invalid', 'This invite link is no longer valid')
    return { invite, user }
  }

  // Everyone who can be mentioned in a comment: any signed-in user may ask.
  router.get('/api/people', requireUser(sessions), (_request, response) => {
    const people: PersonView[] = db.data.users
      .filter((user) => user.active)
      .map((user) => ({ id: user.id, name: user.name, organisation: user.organisation }))
    response.json(people)
  })

  router.get('/api/users', ...admin, (_request, response) => {
    response.json(db.data.users.map(adminView))
  })

  router.post('/api/users', ...admin, async (request, response) => {
    const body = parseInput(inviteUserRequest, request.body)
    if (db.data.users.some((user) => user.email === body.email)) {
      throw new ApiError(409, 'email_taken', 'email: a user with this email already exists', 'email')
    }
    const user: UserRecord = {
      id: randomUUID(),
      ...body,
      color: USER_COLORS[db.data.users.length % USER_COLORS.length]!,
      passwordHash: '',
      active: true,
      createdAt: new Date().toISOString(),
    }
    db.data.users.push(user)
    const invite = createInvite(user, currentUser(response))
    await audit.record({
      actor: currentUser(response),
      action: 'user_invited',
      target: { type: 'user', id: user.id, label: user.email },
      details: `as ${user.role}`,
      ip: request.ip ?? null,
    })
    const created: InviteCreatedView = { user: adminView(user), ...invite }
    response.status(201).json(created)
  })

  router.post('/api/users/:id/invite', ...admin, async (request, response) => {
    const user = userOf(request)
    if (user.passwordHash !== '') throw new ApiError(409, 'already_joined', 'This user has already set a password')
    const invite = createInvite(user, currentUser(response))
    await db.write()
    response.json({ user: adminView(user), ...invite } satisfies InviteCreatedView)
  })

  router.patch('/api/users/:id', ...admin, async (request, response) => {
    const user = userOf(request)
    const changes = parseInput(updateUserRequest, request.body)
    const actor = currentUser(response)
    if (user.id === actor.id && (changes.active === false || (changes.role && changes.role !== 'admin'))) {
      throw new ApiError(409, 'own_account', 'You cannot deactivate yourself or give up your own admin role')
    }
    const target = { type: 'user' as const, id: user.id, label: user.email }
    const ip = request.ip ?? null
    if (changes.name !== undefined) user.name = changes.name
    if (changes.organisation !== undefined) user.organisation = changes.organisation
    if (changes.role !== undefined && changes.role !== user.role) {
      const before = user.role
      user.role = changes.role
      // Open sections switch between editing and reading at once.
      relay.refreshAccess((identity) => identity.id === user.id)
      await audit.record({ actor, action: 'role_changed', target, details: `${before} → ${user.role}`, ip })
    }
    if (changes.active !== undefined && changes.active !== user.active) {
      user.active = changes.active
      if (!user.active) {
        await sessions.destroyAllOf(user.id)
        relay.disconnect((identity) => identity.id === user.id, CloseCode.unauthorized, 'Your account was deactivated')
        events.disconnectUser(user.id)
      }
      await audit.record({ actor, action: user.active ? 'user_reactivated' : 'user_deactivated', target, ip })
    }
    await db.write()
    response.json(adminView(user))
  })

  router.get('/api/invites/:token', (request, response) => {
    const { user } = validInvite(String(request.params.token))
    const view: InviteView = { email: user.email, name: user.name, organisation: user.organisation, role: user.role }
    response.json(view)
  })

  router.post('/api/invites/:token', async (request, response) => {
    const { invite, user } = validInvite(String(request.params.token))
    const { password } = parseInput(acceptInviteRequest, request.body)
    invite.usedAt = new Date().toISOString()
    user.passwordHash = await hashPassword(password)
    await audit.record({
      actor: user,
      action: 'invite_accepted',
      target: { type: 'user', id: user.id, label: user.email },
      ip: request.ip ?? null,
    })
    await deps.signIn(user, response)
    response.json(userView(user))
  })

  return router
}
