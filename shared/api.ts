import { z } from 'zod'
import type { Role, SectionStatus } from './roles.js'
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

/** A section as listed in its document. */
export interface SectionView {
  id: string
  title: string
  status: SectionStatus
  /** SHA-256 (hex) of the section's canonical ProseMirror JSON. */
  currentHash: string
  approval: ApprovalView | null
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
export type DocumentEvent = { type: 'presence'; sections: Record<string, PresenceUser[]> }

/** Every API error has this body. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string }
}

export const loginRequest = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
})
export type LoginRequest = z.infer<typeof loginRequest>

export const roleSchema = z.enum(ROLES)
