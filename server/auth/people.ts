import type { PersonView } from '../../shared/inputs.js'
import type { Database } from '../storage/database.js'

/** How a user id is shown beside what they wrote; a removed user still gets a name. */
export function personOf(db: Database, userId: string): PersonView {
  const user = db.data.users.find((candidate) => candidate.id === userId)
  return user
    ? { id: user.id, name: user.name, organisation: user.organisation }
    : { id: userId, name: userId === 'system' ? 'Drafting Room' : 'Former user', organisation: '' }
}
