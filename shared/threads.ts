import { z } from 'zod'
import type { Anchor } from './anchors.js'
import type { PersonView } from './inputs.js'

/** What the drafting committee decided about a thread. */
export const DISPOSITIONS = ['accepted', 'accepted_with_changes', 'not_retained', 'noted'] as const
export type Disposition = (typeof DISPOSITIONS)[number]

/** Longest comment body. */
export const COMMENT_MAX_CHARS = 5000

export interface CommentView {
  id: string
  author: PersonView
  /** Plain text; mentions are `@Name` and links bare URLs, both rendered as text nodes. */
  body: string
  createdAt: string
  editedAt: string | null
  /** A deleted comment keeps its place in the thread with no body. */
  deleted: boolean
}

export interface SuggestionView {
  /** The proposed replacement for the anchored text. */
  text: string
  status: 'pending' | 'accepted' | 'rejected'
  decidedBy: PersonView | null
  decidedAt: string | null
}

export interface DispositionView {
  value: Disposition
  rationale: string
  by: PersonView
  at: string
}

export interface ThreadView {
  id: string
  sectionId: string
  anchor: Anchor
  comments: CommentView[]
  /** Conference inputs this thread answers. */
  inputIds: string[]
  /** Ids of users mentioned in any comment. */
  mentions: string[]
  status: 'open' | 'resolved'
  resolvedBy: PersonView | null
  resolvedAt: string | null
  suggestion: SuggestionView | null
  disposition: DispositionView | null
  createdAt: string
}

const anchorSchema = z.object({
  start: z.string().min(1).max(200),
  end: z.string().min(1).max(200),
  quote: z.string().min(1, 'select some text to comment on').max(5000),
  prefix: z.string().max(200),
  suffix: z.string().max(200),
})

const body = z.string().trim().min(1, 'is required').max(COMMENT_MAX_CHARS, `must be at most ${COMMENT_MAX_CHARS} characters`)

export const createThreadRequest = z.object({
  anchor: anchorSchema,
  body,
  inputIds: z.array(z.string().max(64)).max(50).default([]),
  suggestion: z.string().max(5000).optional(),
})

export const commentRequest = z.object({ body })
export const threadInputsRequest = z.object({ inputIds: z.array(z.string().max(64)).max(50) })
export const dispositionRequest = z.object({
  value: z.enum(DISPOSITIONS),
  rationale: z.string().trim().max(2000).default(''),
})
