import { LOCALES, type Locale } from './locales.js'
import { z } from 'zod'
import type { InputView } from './inputs.js'
import type { Role, SectionStatus } from './roles.js'
import type { ThreadView } from './threads.js'
import type { VersionView } from './versions.js'
import { ROLES } from './roles.js'

/** A signed-in user as the API shows it. */
export interface UserView {
  id: string
  email: string
  name: string
  organisation: string
  role: Role
  /** Colour of the user's cursor and presence dot. */
  color: string
  /** The interface language the user chose, or null to follow the browser. */
  language: Locale | null
}

/** `GET /api/documents` items. */
export interface DocumentSummary {
  id: string
  title: string
}

/** An approval record: who approved which exact text, when. */
export interface ApprovalView {
  by: string
  at: string
  hash: string
}

/** The last request for changes on a section. */
export interface ChangeRequestView {
  by: string
  at: string
  note: string
}

/** A section as listed in its document. */
export interface SectionView {
  id: string
  title: string
  status: SectionStatus
  /** SHA-256 (hex) of the section's canonical ProseMirror JSON. */
  currentHash: string
  approval: ApprovalView | null
  /** Set while a section is back in drafting after an approver asked for changes. */
  changeRequest: ChangeRequestView | null
}

/** `GET /api/documents/:id`. */
export interface DocumentView extends DocumentSummary {
  sections: SectionView[]
}

/** Someone present in a section, as the presence stream reports. */
export interface PresenceUser {
  id: string
  name: string
  organisation: string
  color: string
}

/** Events on `GET /api/documents/:id/events` (server-sent events). */
export type DocumentEvent =
  | { type: 'presence'; sections: Record<string, PresenceUser[]> }
  /** The document's sections changed: status, approval, title, order, added or deleted. */
  | { type: 'document'; document: DocumentView }
  /** A thread was created or changed (reply, edit, resolution, suggestion, disposition, links). */
  | { type: 'thread'; thread: ThreadView }
  /** A conference input was added or changed. */
  | { type: 'input'; input: InputView }
  /** A duplicate input was merged into another. */
  | { type: 'input_merged'; inputId: string; into: string }
  /** A section got a new version (checkpoint, named version, status change or restore). */
  | { type: 'version'; version: VersionView }

/** A user as administrators see them. */
export interface AdminUserView extends UserView {
  active: boolean
  createdAt: string
  /** An invite was sent and no password has been set yet. */
  invitePending: boolean
}

/** What `POST /api/users` returns: the new user and their one-time link. */
export interface InviteCreatedView {
  user: AdminUserView
  /** Path of the set-password page, e.g. `/#/invite/<token>`; valid until `expiresAt`. */
  invitePath: string
  expiresAt: string
}

/** `GET /api/invites/:token`: who the invite is for. */
export interface InviteView {
  email: string
  name: string
  organisation: string
  role: Role
}

/** An entry of the audit log. */
export interface AuditEntryView {
  id: string
  at: string
  actorId: string | null
  actor: string
  action: string
  target: { type: 'section' | 'user' | 'document'; id: string; label: string } | null
  details: string
  ip: string | null
}

/** A deleted section, recoverable by an admin. */
export interface DeletedSectionView {
  id: string
  title: string
  deletedAt: string
}

/**
 * What is wrong with a field of a request (`invalid_input`), for the client
 * to say in the user's language: `limit` is the most or fewest characters
 * (or items, or the largest or smallest number) allowed, `format` the format
 * expected (`email`, `regex`, …).
 */
export interface InputProblem {
  reason: InputProblemReason
  limit?: number
  format?: string
}

export type InputProblemReason =
  /** Missing or empty. */
  | 'required'
  /** A text longer than `limit` characters. */
  | 'too_long'
  /** A text shorter than `limit` characters. */
  | 'too_short'
  /** A list of more than `limit` items. */
  | 'too_many'
  /** A list of fewer than `limit` items. */
  | 'too_few'
  /** A number above `limit`. */
  | 'too_big'
  /** A number below `limit`. */
  | 'too_small'
  /** Not in the expected `format`. */
  | 'invalid_format'
  /** Of the wrong type, or not one of the values allowed. */
  | 'invalid_value'
  /** A field the request may not have. */
  | 'unexpected'
  /** An id of something that does not exist, or no longer does (removed, merged, in another document). */
  | 'not_found'
  /** A value made from data that has changed since, e.g. an order of sections that lacks one added meanwhile. */
  | 'out_of_date'
  /** Text to replace that runs over more than one paragraph. */
  | 'spans_paragraphs'

/** Every API error has this body; `detail` comes with `invalid_input`. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; detail?: InputProblem }
}

export const loginRequest = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
})
export type LoginRequest = z.infer<typeof loginRequest>

export const roleSchema = z.enum(ROLES)

/** `PATCH /api/me`: what a user may change about themselves. */
export const preferencesRequest = z.strictObject({
  language: z.enum(LOCALES),
})
export type PreferencesRequest = z.infer<typeof preferencesRequest>

const note = z.string().trim().min(1, 'is required').max(2000)
const title = z.string().trim().min(1, 'is required').max(200)
const personName = z.string().trim().min(1, 'is required').max(120)

export const requestChangesRequest = z.object({ note })
export const reopenRequest = z.object({ reason: note })

export const inviteUserRequest = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  name: personName,
  organisation: personName,
  role: roleSchema,
})

export const updateUserRequest = z
  .object({
    name: personName.optional(),
    organisation: personName.optional(),
    role: roleSchema.optional(),
    active: z.boolean().optional(),
  })
  .strict()

/** Passwords: long enough to resist guessing, short enough to hash quickly. */
export const newPassword = z.string().min(10, 'must be at least 10 characters').max(200)
export const acceptInviteRequest = z.object({ password: newPassword })

export const createSectionRequest = z.object({ title, position: z.number().int().min(0).optional() })
export const renameSectionRequest = z.object({ title })
export const reorderSectionsRequest = z.object({ sectionIds: z.array(z.string().max(64)).min(1).max(500) })
