import { z } from 'zod'
import type { ApprovalView } from './api.js'
import type { SectionStatus } from './roles.js'
import type { SectionJSON } from './schema.js'

/** File formats of `GET /api/documents/:id/export`. */
export const EXPORT_FORMATS = ['docx', 'md', 'html'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

const flag = z.enum(['true', 'false'], { message: 'must be true or false' }).default('false').transform((value) => value === 'true')

/** `?format=docx|md|html&approvedOnly=true|false&appendix=true|false`. */
export const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS, { message: 'must be docx, md or html' }),
  /** Only the approved sections. */
  approvedOnly: flag,
  /** An appendix with the open comment threads and the conference inputs they are linked to. */
  appendix: flag,
})
export type ExportOptions = z.infer<typeof exportQuery>

/** A section of `GET /api/documents/:id/content`, for the read-only whole-document view. */
export interface SectionContentView {
  id: string
  title: string
  status: SectionStatus
  approval: ApprovalView | null
  /** The section body as ProseMirror JSON of the shared schema. */
  content: SectionJSON
}

/** `GET /api/documents/:id/content`: every section in order, with its text. */
export interface DocumentContentView {
  id: string
  title: string
  sections: SectionContentView[]
}

/** Largest `.docx` that `POST /api/documents/:id/import[/preview]` accepts. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024

/** Most that the parts of an imported `.docx` may hold once unpacked. */
export const IMPORT_MAX_UNPACKED_BYTES = 64 * 1024 * 1024

/**
 * What happens to a proposed section when the import is applied: `create` a
 * new section, `replace` the text of the section with the same title, leave
 * it `unchanged` (its text is already the file's), or nothing, `refused`,
 * because that section is approved.
 */
export type ImportAction = 'create' | 'replace' | 'unchanged' | 'refused'

/** A section the import proposes. */
export interface ImportedSectionView {
  title: string
  /** The body as ProseMirror JSON of the shared schema. */
  content: SectionJSON
  action: ImportAction
  /** The section with the same title, if there is one. */
  sectionId: string | null
  /** Why it is refused; null otherwise. */
  refusal: string | null
}

/**
 * What kind of import issue it is, for the interface to word it in its own
 * language (`values` fills it in); `other` is a warning of the Word reader
 * itself, whose own (English) text is `values.detail`.
 */
export const IMPORT_ISSUE_CODES = [
  'no_headings',
  'title_omitted',
  'approval_record_omitted',
  'appendix_omitted',
  'text_before_heading',
  'title_page_omitted',
  'empty_heading',
  'heading_shortened',
  'duplicate_heading',
  'heading_too_deep',
  'image_omitted',
  'table_flattened',
  'strikethrough_kept',
  'superscript_kept',
  'subscript_kept',
  'footnote_omitted',
  'word_comment_omitted',
  'internal_link_kept',
  'unsafe_link_kept',
  'style_unmapped',
  'other',
] as const
export type ImportIssueCode = (typeof IMPORT_ISSUE_CODES)[number]

/**
 * Something in the Word file that the shared schema cannot hold, or that is
 * not a section's text: what it was, where, and what was done with it.
 */
export interface ImportIssue {
  /** e.g. `image`, `table`, `footnote`, `comment`, `strikethrough`, `link`, `style`, `title page`. */
  element: string
  /** Title of the proposed section it was in; null before the first section. */
  section: string | null
  /** `omitted`: left out; `simplified`: its text kept without what the editor cannot show. */
  outcome: 'omitted' | 'simplified'
  /** What happened, as an English sentence. */
  message: string
  /** The same, for the interface to translate: `message` is this code's sentence with `values` in it. */
  code: ImportIssueCode
  /**
   * What the sentence quotes or counts: as strings `text` (the file's words
   * or a table's cells, shortened), `title`, `newTitle`, `alt`, `name` (a
   * style's) and `detail` (the Word reader's own English warning); as
   * numbers `count`, `limit`, `level`; and the choices `kind`
   * (`paragraph`|`run`) and `hasAlt` (`yes`|`no`).
   */
  values: Record<string, string | number>
}

/** `POST /api/documents/:id/import/preview`: what applying the same file would do. */
export interface ImportPreview {
  sections: ImportedSectionView[]
  issues: ImportIssue[]
}

/** `POST /api/documents/:id/import`: what was done. */
export interface ImportResult {
  created: { id: string; title: string }[]
  replaced: { id: string; title: string }[]
  /** Sections with the same title whose text already was the file's. */
  unchanged: { id: string; title: string }[]
  issues: ImportIssue[]
}
