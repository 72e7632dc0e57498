import { DOMSerializer, Node as PMNode } from 'prosemirror-model'
import type { DocumentView } from '../../shared/api.js'
import type { DocumentContentView, SectionContentView } from '../../shared/exports.js'
import { can } from '../../shared/roles.js'
import { schema } from '../../shared/schema.js'
import { ApiError, request } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import { formatDate, timeElement } from '../format.js'
import { t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { exportMenu } from '../export/exportMenu.js'
import { importPanel } from '../import/importPanel.js'
import { describeProblem } from '../problems.js'
import { sectionHref } from '../router.js'
import { statusBadge } from '../section/sectionStatus.js'
import { fingerprint } from '../section/approvalRecord.js'
import { messageNodes } from '../i18n/messageNodes.js'
import type { AppPage, PageContext } from '../shell/appPage.js'

const serializer = DOMSerializer.fromSchema(schema)

/** `GET /api/documents/:id/content`: every section in order, with its text. */
export const fetchDocumentContent = (documentId: string): Promise<DocumentContentView> =>
  request<DocumentContentView>('GET', `/api/documents/${encodeURIComponent(documentId)}/content`)

// A section's text as the editor shows it, read-only; text the schema does not know is reported, not shown raw.
function sectionText(section: SectionContentView): HTMLElement {
  const text = h('div', { class: 'section-text document-page__text' })
  try {
    text.append(serializer.serializeFragment(PMNode.fromJSON(schema, section.content).content))
  } catch {
    text.append(h('p', { class: 'form-error' }, t('document.section.unreadable')))
  }
  if (text.childElementCount === 0) text.append(h('p', { class: 'document-page__empty' }, t('document.section.empty')))
  return text
}

/**
 * The whole document on one page, read-only, for reading and printing:
 * every section in order with its status and approval record, an Export
 * menu, a Print button, and for drafters and administrators the Word import.
 */
export class DocumentPage implements AppPage {
  readonly element: HTMLElement
  private readonly body: HTMLElement
  private destroyed = false
  private loads = 0

  constructor(
    private view: DocumentView,
    private readonly context: PageContext,
  ) {
    const print = h('button', { type: 'button', class: 'button' }, icon('document'), h('span', {}, t('document.print')))
    print.addEventListener('click', () => window.print())
    const mayImport = can(context.user, 'section.edit') || can(context.user, 'structure.manage')
    this.body = h('div', { class: 'document-page__sections', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('document.loading')))
    this.element = h(
      'div',
      { class: 'page page--wide document-page', 'data-testid': 'document-page' },
      h(
        'header',
        { class: 'page__header document-page__header' },
        h('div', {}, h('p', { class: 'page__eyebrow' }, t('document.eyebrow')), h('h1', { class: 'page__title', id: 'document-title', tabindex: '-1' }, view.title)),
        h('div', { class: 'document-page__actions no-print' }, print, exportMenu(view.id)),
      ),
      h('p', { class: 'page__lead no-print' }, t('document.lead')),
      h('p', { class: 'document-page__printed print-only' }, t('document.printedOn', { date: formatDate(new Date().toISOString()) })),
      mayImport
        ? h(
            'details',
            { class: 'document-page__import no-print' },
            h('summary', { class: 'document-page__import-summary' }, t('document.importSummary')),
            importPanel({
              documentId: view.id,
              sessionEnded: () => context.sessionEnded(),
              imported: () => void this.load(),
            }),
          )
        : null,
      this.body,
    )
    void this.load()
  }

  documentChanged(view: DocumentView): void {
    if (view.id !== this.view.id) return
    this.view = view
    void this.load()
  }

  destroy(): void {
    this.destroyed = true
  }

  private async load(): Promise<void> {
    const ticket = ++this.loads
    try {
      const content = await fetchDocumentContent(this.view.id)
      if (this.destroyed || ticket !== this.loads) return
      this.render(content)
    } catch (error) {
      if (this.destroyed || ticket !== this.loads) return
      if (error instanceof ApiError && error.isUnauthorized) return this.context.sessionEnded()
      const retry = h('button', { type: 'button', class: 'button button--primary' }, t('common.tryAgain'))
      retry.addEventListener('click', () => void this.load())
      this.body.removeAttribute('aria-busy')
      replaceChildren(this.body, h('div', { class: 'panel' }, h('p', { class: 'form-error' }, t('document.loadFailed', { problem: describeProblem(error) })), retry))
    }
  }

  private render(content: DocumentContentView): void {
    this.body.removeAttribute('aria-busy')
    if (content.sections.length === 0) {
      replaceChildren(this.body, h('p', { class: 'panel__empty' }, t('document.noSections')))
      return
    }
    replaceChildren(
      this.body,
      ...content.sections.map((section, index) => {
        const titleId = `document-section-${section.id}`
        return h(
          'article',
          { class: 'paper document-section', 'aria-labelledby': titleId, 'data-section-id': section.id, 'data-status': section.status },
          h(
            'header',
            { class: 'document-section__header' },
            h('p', { class: 'paper__eyebrow' }, t('document.section.position', { number: index + 1, total: content.sections.length })),
            h('h2', { class: 'document-section__title', id: titleId }, h('a', { href: sectionHref(section.id), class: 'document-section__link' }, section.title)),
            h(
              'div',
              { class: 'document-section__meta' },
              statusBadge(section.status, 'small'),
              section.approval && section.status === 'approved'
                ? h(
                    'p',
                    { class: 'record__line', 'data-testid': 'approval-record' },
                    ...messageNodes('document.section.approved', {
                      name: h('strong', {}, h('bdi', {}, section.approval.by)),
                      date: timeElement(section.approval.at),
                      fingerprint: fingerprint(section.approval.hash),
                    }),
                  )
                : null,
            ),
          ),
          sectionText(section),
        )
      }),
    )
  }
}
