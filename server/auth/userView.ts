import type { UserView } from '../../shared/api.js'
import type { UserRecord } from '../storage/database.js'
import type { Identity } from '../collab/hooks.js'

/** A user as the API shows them: never the password hash. */
export function userView(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organisation: user.organisation,
    role: user.role,
    color: user.color,
    language: user.language ?? null,
  }
}

/** A user as collaborators see them. */
export function identityOf(user: UserRecord): Identity {
  return { id: user.id, name: user.name, organisation: user.organisation, color: user.color }
}
