import { z } from 'zod'

/** Kinds of conference input a comment can answer. */
export const INPUT_KINDS = [
  'breakout_output',
  'guiding_question',
  'commitment',
  'trend',
  'challenge',
  'survey_finding',
  'pledge',
  'submission',
] as const
export type InputKind = (typeof INPUT_KINDS)[number]

export const INPUT_STATUSES = ['open', 'addressed', 'deferred'] as const
export type InputStatus = (typeof INPUT_STATUSES)[number]

/** Someone as shown beside their contribution. */
export interface PersonView {
  id: string
  name: string
  organisation: string
}

/** A conference input: what a break-out session concluded, a guiding question, a commitment… */
export interface InputView {
  id: string
  documentId: string
  kind: InputKind
  /** Where it comes from, e.g. "Break-out session 2" or "Almaty commitments". */
  source: string
  title: string
  text: string
  tags: string[]
  addedBy: PersonView
  addedAt: string
  status: InputStatus
  /** Why it was deferred; set only when `status` is `deferred`. */
  deferredReason: string | null
  /** Sections the drafting committee says address it, besides linked threads. */
  addressedIn: string[]
}

const tag = z.string().trim().min(1).max(40)

export const createInputRequest = z.object({
  documentId: z.string().min(1).max(64),
  kind: z.enum(INPUT_KINDS),
  source: z.string().trim().min(1, 'is required').max(200),
  title: z.string().trim().min(1, 'is required').max(300),
  text: z.string().trim().max(10_000).default(''),
  tags: z.array(tag).max(20).default([]),
})

export const updateInputRequest = z
  .object({
    kind: z.enum(INPUT_KINDS).optional(),
    source: z.string().trim().min(1, 'is required').max(200).optional(),
    title: z.string().trim().min(1, 'is required').max(300).optional(),
    text: z.string().trim().max(10_000).optional(),
    tags: z.array(tag).max(20).optional(),
  })
  .strict()

export const inputStatusRequest = z
  .object({
    status: z.enum(INPUT_STATUSES),
    reason: z.string().trim().max(2000).optional(),
  })
  .refine((value) => value.status !== 'deferred' || (value.reason ?? '').length > 0, {
    message: 'a deferred input needs a reason',
    path: ['reason'],
  })

export const addressedInRequest = z.object({ sectionIds: z.array(z.string().max(64)).max(500) })

export const mergeInputRequest = z.object({ into: z.string().min(1).max(64) })
