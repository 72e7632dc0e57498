import { z } from 'zod'
import type { PersonView } from './inputs.js'

/**
 * What made a version:
 * - `auto`: a checkpoint taken after a pause in editing (at most one per few minutes);
 * - `status`: a checkpoint taken at a status change (submitted, approved, sent back, reopened);
 * - `named`: a drafter named the text as it was ("Draft for the regional conference");
 * - `restore`: the text right after an earlier version was restored.
 */
export const VERSION_KINDS = ['auto', 'status', 'named', 'restore'] as const
export type VersionKind = (typeof VERSION_KINDS)[number]

/** A version of a section as the history panel lists it (`GET /api/sections/:id/versions`). */
export interface VersionView {
  id: string
  sectionId: string
  kind: VersionKind
  /** The drafter's name for a named version; otherwise what made it, e.g. "Submitted for review". */
  label: string
  /** Position in the section's stored update history that this version is the text after. */
  seq: number
  createdAt: string
  /** Who named it, restored it or changed the status; null for automatic checkpoints. */
  createdBy: PersonView | null
  /** When the last change it contains was made. */
  changedAt: string
  /** Everyone who sent changes since the previous version, as the server recorded them. */
  authors: PersonView[]
  /** Characters inserted and deleted since the previous version. */
  change: { inserted: number; deleted: number }
}

/** How a piece of compared content differs: added after `from`, removed by `to`, or the same in both. */
export type DiffChange = 'inserted' | 'deleted' | null

/** A mark on compared text, as in ProseMirror JSON. */
export interface DiffMark {
  type: 'strong' | 'em' | 'underline' | 'link'
  attrs?: { href: string; title: string | null }
}

/** A run of text with the same marks, change and author. */
export interface DiffText {
  type: 'text'
  text: string
  marks: DiffMark[]
  change: DiffChange
  /** Who inserted or deleted it; null when unchanged. */
  author: PersonView | null
}

/** A line break inside a paragraph or heading. */
export interface DiffHardBreak {
  type: 'hard_break'
  change: DiffChange
  author: PersonView | null
}

/**
 * A block of the compared section, shaped like the editor's ProseMirror
 * node: `heading` carries `level`, `ordered_list` its `order`; lists nest
 * through `list_item` children. `change` is set when the block itself was
 * inserted or deleted; its text carries its own changes.
 */
export interface DiffBlock {
  type: 'paragraph' | 'heading' | 'blockquote' | 'bullet_list' | 'ordered_list' | 'list_item'
  attrs: { level?: number; order?: number }
  change: DiffChange
  author: PersonView | null
  content: DiffNode[]
}

export type DiffNode = DiffBlock | DiffText | DiffHardBreak

/** One inserted or deleted stretch of text, in document order, for a list of changes. */
export interface ChangeSummary {
  change: 'inserted' | 'deleted'
  text: string
  author: PersonView
}

/** `GET /api/sections/:id/compare?from=&to=`: the older text against the newer, attributed. */
export interface CompareView {
  sectionId: string
  /** The older of the two (the versions are put in order whichever way they were asked). */
  from: VersionView
  /** The newer of the two; `id` is `current` for the current text. */
  to: VersionView | CurrentTextView
  /** The section's blocks, showing the text of both with insertions and deletions marked. */
  content: DiffBlock[]
  changes: ChangeSummary[]
}

/** The current text as a compare endpoint. */
export interface CurrentTextView {
  id: 'current'
  seq: number
  changedAt: string
}

/** `POST /api/sections/:id/versions/:versionId/restore`: the version created by the restore. */
export interface RestoreView {
  /** The version that now holds the restored text. */
  version: VersionView
  /** A checkpoint of the text just before the restore, if it was not one already. */
  before: VersionView | null
}

export const createVersionRequest = z.object({
  name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
})

const versionId = z.string().min(1, 'is required').max(64)

export const compareQuery = z.object({
  from: versionId,
  to: versionId.default('current'),
})
