import * as Y from 'yjs'
import type { Node as PMNode } from 'prosemirror-model'
import type { ExportOptions } from '../../shared/exports.js'
import type { InputKind } from '../../shared/inputs.js'
import type { SectionStatus } from '../../shared/roles.js'
import { schema } from '../../shared/schema.js'
import { personOf } from '../auth/people.js'
import type { Relay } from '../collab/relay.js'
import type { DocumentService } from '../documents/documentService.js'
import { sectionNode } from '../documents/sectionText.js'
import type { ApprovalRecord, Database, SectionRecord } from '../storage/database.js'
import type { DocumentStore } from '../storage/documentStore.js'

/** Where exports and the whole-document view read from. */
export interface ContentSources {
  db: Database
  store: DocumentStore
  relay: Relay
  documents: DocumentService
}

/** A section as exported: its record and its body through the shared schema. */
export interface ExportedSection {
  id: string
  title: string
  status: SectionStatus
  approval: ApprovalRecord | null
  body: PMNode
}

/** An open comment thread in the appendix of an export. */
export interface AppendixThread {
  section: string
  quote: string
  comments: { author: string; at: string; body: string }[]
  suggestion: string | null
  inputs: { title: string; kind: InputKind; source: string }[]
}

/** Everything an exporter needs: no exporter reads storage itself. */
export interface ExportedDocument {
  id: string
  title: string
  exportedAt: Date
  /** Whether only approved sections were asked for. */
  approvedOnly: boolean
  sections: ExportedSection[]
  /** Null when the export has no appendix. */
  appendix: AppendixThread[] | null
}

/** Names of the section statuses in exports. */
export const STATUS_NAMES: Record<SectionStatus, string> = {
  drafting: 'In drafting',
  in_review: 'In review',
  approved: 'Approved',
}

/** Names of the kinds of conference input in exports. */
export const INPUT_KIND_NAMES: Record<InputKind, string> = {
  breakout_output: 'Break-out session output',
  guiding_question: 'Guiding question',
  commitment: 'Commitment',
  trend: 'Trend',
  challenge: 'Challenge',
  survey_finding: 'Survey finding',
  pledge: 'Pledge',
  submission: 'Submission',
}

/**
 * A section's body as stored, through the shared schema: what relay holds
 * is written to disk first, then the stored state is read into a document of
 * its own, so that reading never changes a live document.
 */
export async function storedSectionBody(sources: ContentSources, sectionId: string): Promise<PMNode> {
  await (await sources.relay.room(sectionId))?.flushNow()
  const doc = new Y.Doc()
  const stored = await sources.store.load(sectionId)
  if (stored) Y.applyUpdate(doc, stored)
  const body = schema.nodeFromJSON(sectionNode(doc).toJSON())
  doc.destroy()
  body.check()
  return body
}

/** The document `documentId` as an export sees it, or null if there is no such document. */
export async function exportedDocument(
  sources: ContentSources,
  documentId: string,
  options: Pick<ExportOptions, 'approvedOnly' | 'appendix'>,
): Promise<ExportedDocument | null> {
  const document = sources.documents.document(documentId)
  if (!document) return null
  const records = sources.documents
    .sectionsOf(documentId)
    .filter((section) => !options.approvedOnly || section.status === 'approved')
  const sections: ExportedSection[] = []
  for (const record of records) {
    sections.push({
      id: record.id,
      title: record.title,
      status: record.status,
      approval: record.approval,
      body: await storedSectionBody(sources, record.id),
    })
  }
  return {
    id: document.id,
    title: document.title,
    exportedAt: new Date(),
    approvedOnly: options.approvedOnly,
    sections,
    appendix: options.appendix ? openThreads(sources.db, records) : null,
  }
}

function openThreads(db: Database, sections: SectionRecord[]): AppendixThread[] {
  const threads: AppendixThread[] = []
  for (const section of sections) {
    for (const thread of db.data.threads) {
      if (thread.sectionId !== section.id || thread.status !== 'open') continue
      threads.push({
        section: section.title,
        quote: thread.anchor.quote,
        comments: thread.comments
          .filter((comment) => !comment.deleted)
          .map((comment) => {
            const author = personOf(db, comment.authorId)
            return { author: author.organisation ? `${author.name}, ${author.organisation}` : author.name, at: comment.createdAt, body: comment.body }
          }),
        suggestion: thread.suggestion?.status === 'pending' ? thread.suggestion.text : null,
        inputs: thread.inputIds.flatMap((id) => {
          const input = db.data.inputs.find((candidate) => candidate.id === id)
          return input ? [{ title: input.title, kind: input.kind, source: input.source }] : []
        }),
      })
    }
  }
  return threads
}

/** A date as exports print it, e.g. "3 November 2026". */
export function longDate(date: Date | string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(date))
}

/** A moment as exports print it, e.g. "3 November 2026, 14:05 UTC". */
export function longDateTime(date: Date | string): string {
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC', hourCycle: 'h23' }).format(new Date(date))
  return `${longDate(date)}, ${time} UTC`
}

/** The sentence that records an approval in every export format. */
export function approvalSentence(approval: ApprovalRecord): string {
  return `Approved by ${approval.by} on ${longDateTime(approval.at)}. SHA-256 of the approved text: ${approval.hash}.`
}

/**
 * A file name for the export: the title in lower case, with anything but
 * letters and digits turned into dashes, and the date.
 */
export function exportFileName(document: ExportedDocument, extension: string): string {
  const slug = document.title
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 80)
  return `${slug || 'document'}-${document.exportedAt.toISOString().slice(0, 10)}.${extension}`
}
