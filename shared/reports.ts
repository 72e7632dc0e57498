import type { InputKind, InputStatus } from './inputs.js'
import type { Disposition } from './threads.js'

/** `GET /api/documents/:id/coverage`: which inputs each section addresses. */
export interface CoverageReport {
  sections: { id: string; title: string; inputsAddressed: number }[]
  rows: {
    inputId: string
    kind: InputKind
    source: string
    title: string
    status: InputStatus
    /** One cell per section, in the order of `sections`. */
    cells: { sectionId: string; threads: number; explicit: boolean }[]
    /** Linked from a thread, marked as addressed somewhere, or given status `addressed`. */
    addressed: boolean
  }[]
  byKind: { name: string; total: number; addressed: number }[]
  bySource: { name: string; total: number; addressed: number }[]
}

/** A row of `GET /api/documents/:id/dispositions`: what became of one thread. */
export interface DispositionRow {
  threadId: string
  organisation: string
  raisedBy: string
  sectionId: string
  section: string
  quote: string
  comment: string
  suggestion: string | null
  inputs: string[]
  status: 'open' | 'resolved'
  disposition: Disposition | null
  rationale: string
  decidedBy: string
  decidedAt: string | null
}
