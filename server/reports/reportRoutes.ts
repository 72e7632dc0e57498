import { Router, type Response } from 'express'
import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import type { CoverageReport, DispositionRow } from '../../shared/reports.js'
import { INPUT_KINDS } from '../../shared/inputs.js'
import { requireUser } from '../auth/authRoutes.js'
import { personOf } from '../auth/people.js'
import type { SessionService } from '../auth/sessions.js'
import type { DocumentService } from '../documents/documentService.js'
import { notFound, parseInput } from '../http/errors.js'
import type { Database } from '../storage/database.js'

const DISPOSITION_LABELS: Record<string, string> = {
  accepted: 'Accepted',
  accepted_with_changes: 'Accepted with changes',
  not_retained: 'Not retained',
  noted: 'Noted',
}

const formatQuery = z.object({ format: z.enum(['json', 'csv']).default('json') })
const dispositionQuery = formatQuery.extend({
  organisation: z.string().max(200).optional(),
  section: z.string().max(64).optional(),
})

/** The coverage of every conference input by the document's sections. */
export function coverageOf(db: Database, documents: DocumentService, documentId: string): CoverageReport {
  const sections = documents.sectionsOf(documentId)
  const threads = db.data.threads.filter((thread) => sections.some((section) => section.id === thread.sectionId))
  const inputs = db.data.inputs.filter((input) => input.documentId === documentId && input.mergedInto === null)
  const rows = inputs.map((input) => {
    const cells = sections.map((section) => ({
      sectionId: section.id,
      threads: threads.filter((thread) => thread.sectionId === section.id && thread.inputIds.includes(input.id)).length,
      explicit: input.addressedIn.includes(section.id),
    }))
    return {
      inputId: input.id,
      kind: input.kind,
      source: input.source,
      title: input.title,
      status: input.status,
      cells,
      addressed: cells.some((cell) => cell.threads > 0 || cell.explicit) || input.status === 'addressed',
    }
  })
  const tally = (key: 'kind' | 'source') => {
    const groups = new Map<string, { total: number; addressed: number }>()
    for (const row of rows) {
      const group = groups.get(row[key]) ?? { total: 0, addressed: 0 }
      group.total++
      if (row.addressed) group.addressed++
      groups.set(row[key], group)
    }
    return [...groups.entries()].map(([name, counts]) => ({ name, ...counts }))
  }
  return {
    sections: sections.map((section, index) => ({
      id: section.id,
      title: section.title,
      inputsAddressed: rows.filter((row) => row.cells[index]!.threads > 0 || row.cells[index]!.explicit).length,
    })),
    rows,
    byKind: tally('kind').sort((a, b) => INPUT_KINDS.indexOf(a.name as never) - INPUT_KINDS.indexOf(b.name as never)),
    bySource: tally('source'),
  }
}

/** What became of every thread of the document, with the organisation that raised it. */
export function dispositionsOf(db: Database, documents: DocumentService, documentId: string): DispositionRow[] {
  const sections = documents.sectionsOf(documentId)
  const rows: DispositionRow[] = []
  for (const section of sections) {
    for (const thread of db.data.threads.filter((candidate) => candidate.sectionId === section.id)) {
      const first = thread.comments[0]
      const author = first ? personOf(db, first.authorId) : null
      rows.push({
        threadId: thread.id,
        organisation: author?.organisation ?? '',
        raisedBy: author?.name ?? '',
        sectionId: section.id,
        section: section.title,
        quote: thread.anchor.quote,
        comment: first && !first.deleted ? first.body : '',
        suggestion: thread.suggestion?.text ?? null,
        inputs: thread.inputIds.map((id) => db.data.inputs.find((input) => input.id === id)?.title ?? id),
        status: thread.status,
        disposition: thread.disposition?.value ?? null,
        rationale: thread.disposition?.rationale ?? '',
        decidedBy: thread.disposition ? personOf(db, thread.disposition.by).name : '',
        decidedAt: thread.disposition?.at ?? null,
      })
    }
  }
  return rows.sort((a, b) => a.organisation.localeCompare(b.organisation) || sections.findIndex((s) => s.id === a.sectionId) - sections.findIndex((s) => s.id === b.sectionId))
}

function sendCsv(response: Response, filename: string, records: string[][]): void {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8')
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`)
  // A byte order mark makes Excel read the file as UTF-8; formulas are escaped.
  response.send(`\uFEFF${stringify(records, { escape_formulas: true })}`)
}

/** `GET /api/documents/:id/coverage` and `/dispositions`, as JSON or CSV. */
export function reportRoutes(db: Database, documents: DocumentService, sessions: SessionService): Router {
  const router = Router()
  router.use('/api/documents', requireUser(sessions))

  router.get('/api/documents/:id/coverage', (request, response) => {
    const document = documents.document(String(request.params.id))
    if (!document) throw notFound('Document')
    const { format } = parseInput(formatQuery, request.query)
    const report = coverageOf(db, documents, document.id)
    if (format === 'json') return void response.json(report)
    const cell = (threads: number, explicit: boolean) =>
      [threads > 0 ? `${threads} thread${threads === 1 ? '' : 's'}` : '', explicit ? 'addressed' : ''].filter(Boolean).join('; ')
    sendCsv(response, 'coverage.csv', [
      ['Input', 'Kind', 'Source', 'Status', ...report.sections.map((section) => section.title), 'Addressed'],
      ...report.rows.map((row) => [
        row.title,
        row.kind,
        row.source,
        row.status,
        ...row.cells.map((c) => cell(c.threads, c.explicit)),
        row.addressed ? 'yes' : 'no',
      ]),
    ])
  })

  router.get('/api/documents/:id/dispositions', (request, response) => {
    const document = documents.document(String(request.params.id))
    if (!document) throw notFound('Document')
    const query = parseInput(dispositionQuery, request.query)
    const rows = dispositionsOf(db, documents, document.id).filter(
      (row) => (!query.organisation || row.organisation === query.organisation) && (!query.section || row.sectionId === query.section),
    )
    if (query.format === 'json') return void response.json(rows)
    sendCsv(response, 'dispositions.csv', [
      ['Organisation', 'Raised by', 'Section', 'Commented text', 'Comment', 'Suggested text', 'Conference inputs', 'Thread', 'Disposition', 'Rationale', 'Decided by', 'Decided at'],
      ...rows.map((row) => [
        row.organisation,
        row.raisedBy,
        row.section,
        row.quote,
        row.comment,
        row.suggestion ?? '',
        row.inputs.join('; '),
        row.status,
        row.disposition ? DISPOSITION_LABELS[row.disposition]! : 'Pending',
        row.rationale,
        row.decidedBy,
        row.decidedAt ?? '',
      ]),
    ])
  })

  return router
}
