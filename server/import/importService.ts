import { canonicalSectionJSON } from '../../shared/canonical.js'
import type { ImportPreview, ImportResult, ImportedSectionView } from '../../shared/exports.js'
import { Limits } from '../../shared/limits.js'
import type { AuditLog } from '../audit/auditLog.js'
import { identityOf } from '../auth/userView.js'
import type { Relay } from '../collab/relay.js'
import type { DocumentService } from '../documents/documentService.js'
import { newSectionId } from '../documents/ids.js'
import { storedSectionBody } from '../export/exportContent.js'
import { initialSectionUpdate } from '../documents/sectionText.js'
import { ApiError, notFound } from '../http/errors.js'
import type { Database, SectionRecord, UserRecord } from '../storage/database.js'
import type { DocumentStore } from '../storage/documentStore.js'
import { replaceSectionContent } from '../versions/replaceContent.js'
import { lockedError } from '../versions/versionService.js'
import { checkDocxPackage } from './docxPackage.js'
import type { DocxContent, ImportedSection } from './docxImport.js'

/** Everything an import works with. */
export interface ImportDeps {
  db: Database
  store: DocumentStore
  relay: Relay
  documents: DocumentService
  audit: AuditLog
  /** Tells open clients that a document's sections changed. */
  documentChanged: (documentId: string) => void
  /** Keeps the text of a section about to be replaced as a version, so it can be restored. */
  keepBeforeReplacing: (section: SectionRecord, user: UserRecord) => Promise<void>
}

interface Planned {
  section: ImportedSection
  target: SectionRecord | null
  /** Whether the target's text already is the section's. */
  same: boolean
  update: Uint8Array
}

/**
 * Imports a Word draft into a document: each section of the file creates a
 * section, or replaces the text of the section with the same title (as the
 * importing user's edit, through the relay, so open editors receive it)
 * unless that text already is the file's.
 * The preview and the import read the file the same way, so the preview
 * shows exactly what the import does.
 */
export class ImportService {
  constructor(private readonly deps: ImportDeps) {}

  /** What importing `file` into the document would do, and every issue found. */
  async preview(documentId: string, file: Buffer): Promise<ImportPreview> {
    const { content, planned } = await this.plan(documentId, file)
    return { sections: planned.map(view), issues: content.issues }
  }

  /**
   * Imports `file`. Refused as a whole, before anything changes, when a
   * section it would replace is approved.
   */
  async apply(documentId: string, file: Buffer, user: UserRecord, ip: string | null): Promise<ImportResult> {
    const { document, content, planned } = await this.plan(documentId, file)
    const refused = planned.filter((item) => actionOf(item) === 'refused')
    if (refused.length > 0) {
      throw new ApiError(
        409,
        'section_approved',
        `${refused.map((item) => `"${item.target!.title}"`).join(', ')} ${refused.length === 1 ? 'is' : 'are'} approved and locked; reopen ${refused.length === 1 ? 'it' : 'them'} before importing over ${refused.length === 1 ? 'it' : 'them'}, or rename the heading in the file`,
      )
    }
    const { db, store, relay, documents, audit } = this.deps
    const result: ImportResult = { created: [], replaced: [], unchanged: [], issues: content.issues }
    for (const { section, target, same, update } of planned) {
      if (target && same) {
        result.unchanged.push({ id: target.id, title: target.title })
        continue
      }
      if (target) {
        await this.deps.keepBeforeReplacing(target, user)
        await relay.edit(target.id, identityOf(user), (doc) => {
          if (target.status === 'approved') throw lockedError(target)
          replaceSectionContent(doc, section.body)
        })
        result.replaced.push({ id: target.id, title: target.title })
        continue
      }
      const id = newSectionId()
      await store.append(id, [{ update, author: user.id, at: Date.now() }])
      const record: SectionRecord = {
        id,
        documentId: document.id,
        title: section.title,
        position: documents.sectionsOf(document.id).length,
        status: 'drafting',
        approval: null,
        changeRequest: null,
        createdAt: new Date().toISOString(),
        deletedAt: null,
      }
      db.data.sections.push(record)
      await audit.record({ actor: user, action: 'section_created', target: { type: 'section', id, label: record.title }, details: 'imported from a Word file', ip })
      result.created.push({ id, title: record.title })
    }
    await audit.record({
      actor: user,
      action: 'document_imported',
      target: { type: 'document', id: document.id, label: document.title },
      details: `${result.created.length} sections created, ${result.replaced.length} replaced, ${result.unchanged.length} unchanged, ${content.issues.length} issues reported`,
      ip,
    })
    this.deps.documentChanged(document.id)
    return result
  }

  private async plan(documentId: string, file: Buffer): Promise<{ document: { id: string; title: string }; content: DocxContent; planned: Planned[] }> {
    const document = this.deps.documents.document(documentId)
    if (!document) throw notFound('Document')
    checkDocxPackage(file)
    // Loaded at the first import, like the export's libraries (see exportRoutes).
    const { readDocx } = await import('./docxImport.js')
    const content = await readDocx(file)
    const existing = this.deps.documents.sectionsOf(documentId)
    const planned: Planned[] = []
    for (const section of content.sections) {
      const update = initialSectionUpdate(section.body.toJSON())
      if (update.length > Limits.sectionBytes) {
        throw new ApiError(413, 'too_large', `The section "${section.title}" is larger than the ${Limits.sectionBytes / 1024 / 1024} MB a section may hold; split it with more headings`)
      }
      const key = section.title.toLowerCase()
      const target = existing.find((candidate) => candidate.title.trim().toLowerCase() === key) ?? null
      const same = target !== null && canonicalSectionJSON(await storedSectionBody(this.deps, target.id)) === canonicalSectionJSON(section.body)
      planned.push({ section, target, same, update })
    }
    return { document, content, planned }
  }
}

function actionOf({ target, same }: Planned): ImportedSectionView['action'] {
  if (target === null) return 'create'
  if (same) return 'unchanged'
  return target.status === 'approved' ? 'refused' : 'replace'
}

function view(planned: Planned): ImportedSectionView {
  const { section, target } = planned
  const action = actionOf(planned)
  return {
    title: section.title,
    content: section.body.toJSON(),
    action,
    sectionId: target?.id ?? null,
    refusal: action === 'refused' ? `"${target!.title}" is approved and locked; reopen it before importing over it` : null,
  }
}
