import { IMPORT_MAX_BYTES, type ImportAction, type ImportIssue, type ImportIssueCode, type ImportPreview, type ImportResult } from '../../shared/exports.js'
import { ApiError, errorFromResponse, networkError } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { describeProblem } from '../problems.js'
import { isolate } from '../i18n/bidi.js'
import { messageNodes } from '../i18n/messageNodes.js'

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

const ACTION_LABEL: Record<ImportAction, MessageKey> = {
  create: 'import.action.create',
  replace: 'import.action.replace',
  unchanged: 'import.action.unchanged',
  refused: 'import.action.refused',
}

// What the server calls the parts of a Word file it reports (server/import), in English.
const ELEMENT_LABEL: Record<string, MessageKey> = {
  image: 'import.element.image',
  table: 'import.element.table',
  footnote: 'import.element.footnote',
  'Word comment': 'import.element.comment',
  strikethrough: 'import.element.strikethrough',
  superscript: 'import.element.superscript',
  subscript: 'import.element.subscript',
  link: 'import.element.link',
  style: 'import.element.style',
  'title page': 'import.element.titlePage',
  title: 'import.element.title',
  'approval record': 'import.element.approvalRecord',
  appendix: 'import.element.appendix',
  'text before the first heading': 'import.element.textBeforeHeading',
  heading: 'import.element.heading',
  headings: 'import.element.headings',
  other: 'import.element.other',
}

function elementLabel(element: string): string {
  return Object.hasOwn(ELEMENT_LABEL, element) ? t(ELEMENT_LABEL[element]!) : element
}

// What the server found in the file, by its code: the sentence in the interface language.
const ISSUE_MESSAGE: Record<ImportIssueCode, MessageKey> = {
  no_headings: 'import.issue.no_headings',
  title_omitted: 'import.issue.title_omitted',
  approval_record_omitted: 'import.issue.approval_record_omitted',
  appendix_omitted: 'import.issue.appendix_omitted',
  text_before_heading: 'import.issue.text_before_heading',
  title_page_omitted: 'import.issue.title_page_omitted',
  empty_heading: 'import.issue.empty_heading',
  heading_shortened: 'import.issue.heading_shortened',
  duplicate_heading: 'import.issue.duplicate_heading',
  heading_too_deep: 'import.issue.heading_too_deep',
  image_omitted: 'import.issue.image_omitted',
  table_flattened: 'import.issue.table_flattened',
  strikethrough_kept: 'import.issue.strikethrough_kept',
  superscript_kept: 'import.issue.superscript_kept',
  subscript_kept: 'import.issue.subscript_kept',
  footnote_omitted: 'import.issue.footnote_omitted',
  word_comment_omitted: 'import.issue.word_comment_omitted',
  internal_link_kept: 'import.issue.internal_link_kept',
  unsafe_link_kept: 'import.issue.unsafe_link_kept',
  style_unmapped: 'import.issue.style_unmapped',
  other: 'import.issue.other',
}

// Values that choose a wording (a `select`), not text of the file: passed as they are.
const ISSUE_CHOICES = new Set(['kind', 'hasAlt'])

/**
 * What was done with one part of the file, in the interface language, with
 * the file's own words (quotes, titles, style names) isolated in their own
 * direction. The Word reader's own warning (`detail` of `other`) stays in
 * English, and so does the server's sentence for a code this client does
 * not know.
 */
function issueMessage(issue: ImportIssue): HTMLElement {
  if (typeof issue.code !== 'string' || !Object.hasOwn(ISSUE_MESSAGE, issue.code)) return h('span', { lang: 'en', dir: 'auto' }, issue.message)
  const values: Parameters<typeof messageNodes>[1] = {}
  for (const [name, value] of Object.entries(issue.values ?? {})) {
    if (typeof value === 'number' || ISSUE_CHOICES.has(name)) values[name] = value
    else if (name === 'detail') values[name] = h('bdi', { lang: 'en' }, value)
    else values[name] = isolate(value)
  }
  return h('span', {}, ...messageNodes(ISSUE_MESSAGE[issue.code], values))
}

let nextId = 0

// Sends the file itself as the request body and reads the JSON answer, or throws an ApiError in the interface language.
async function postFile<T>(path: string, file: File): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': file.type || DOCX_TYPE },
      body: file,
    })
  } catch {
    throw networkError()
  }
  let parsed: unknown = null
  try {
    parsed = await response.json()
  } catch {
    // Reported by status below.
  }
  if (!response.ok) throw errorFromResponse(response.status, parsed)
  return parsed as T
}

/** What the import panel reports to its page. */
export interface ImportPanelOptions {
  documentId: string
  /** A request found the session gone. */
  sessionEnded(): void
  /** The import was applied: the document's sections changed. */
  imported(result: ImportResult): void
}

/**
 * "Import a Word draft": choose a `.docx`, see what it would do (each
 * proposed section with its action, and every part the editor cannot hold),
 * then apply it. Nothing changes before "Import" is chosen.
 */
export function importPanel(options: ImportPanelOptions): HTMLElement {
  const id = `import-${++nextId}`
  const input = h('input', { type: 'file', id: `${id}-file`, class: 'import-panel__file', accept: `.docx,${DOCX_TYPE}`, 'aria-describedby': `${id}-hint` })
  const status = h('div', { class: 'import-panel__status', role: 'status' })
  const preview = h('div', { class: 'import-panel__preview', 'data-testid': 'import-preview' })
  let file: File | null = null

  // `what` says what failed, with the reason in its {problem}.
  const fail = (error: unknown, what: (problem: string) => string): void => {
    if (error instanceof ApiError && error.isUnauthorized) return options.sessionEnded()
    replaceChildren(status, h('p', { class: 'form-error', role: 'alert' }, what(describeProblem(error))))
  }

  const apply = async (button: HTMLButtonElement): Promise<void> => {
    if (!file) return
    button.disabled = true
    replaceChildren(status, h('p', {}, t('import.importing')))
    try {
      const result = await postFile<ImportResult>(`/api/documents/${encodeURIComponent(options.documentId)}/import`, file)
      replaceChildren(preview)
      replaceChildren(
        status,
        h(
          'p',
          { class: 'import-panel__done' },
          t('import.done', { file: isolate(file.name), created: result.created.length, replaced: result.replaced.length, unchanged: result.unchanged.length }),
        ),
      )
      input.value = ''
      file = null
      options.imported(result)
    } catch (error) {
      button.disabled = false
      fail(error, (problem) => t('import.notImported', { problem }))
    }
  }

  const showPreview = (chosen: File, view: ImportPreview): void => {
    const refused = view.sections.some((section) => section.action === 'refused')
    const changes = view.sections.some((section) => section.action === 'create' || section.action === 'replace')
    const importButton = h('button', { type: 'button', class: 'button button--primary', disabled: refused || !changes }, t('import.submit'))
    importButton.addEventListener('click', () => void apply(importButton))
    const rows = view.sections.map((section) =>
      h(
        'tr',
        { 'data-action': section.action },
        h('td', { dir: 'auto' }, section.title),
        h(
          'td',
          {},
          h('span', { class: `import-action import-action--${section.action}` }, t(ACTION_LABEL[section.action])),
          // The server's reason names the approved section; it is the same for every one of them.
          section.action === 'refused' ? h('span', { class: 'import-panel__refusal' }, ' ', t('import.refusal')) : null,
        ),
      ),
    )
    const issues =
      view.issues.length === 0
        ? h('p', { class: 'import-panel__hint' }, t('import.issues.none'))
        : h(
            'ul',
            { class: 'import-panel__issues' },
            ...view.issues.map((issue) =>
              h(
                'li',
                {},
                ...messageNodes(issue.section ? 'import.issue.inSection' : 'import.issue.beforeSections', {
                  outcome: h('strong', {}, t(issue.outcome === 'omitted' ? 'import.outcome.omitted' : 'import.outcome.simplified')),
                  element: elementLabel(issue.element),
                  section: issue.section ? h('bdi', {}, issue.section) : '',
                  message: issueMessage(issue),
                }),
              ),
            ),
          )
    replaceChildren(
      preview,
      h('h3', { class: 'import-panel__subtitle' }, t('import.preview.title', { file: isolate(chosen.name) })),
      view.sections.length === 0
        ? h('p', { class: 'form-error' }, t('import.preview.noSections'))
        : h(
            'table',
            { class: 'import-panel__table' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('import.preview.section')), h('th', { scope: 'col' }, t('import.preview.action')))),
            h('tbody', {}, ...rows),
          ),
      h('h3', { class: 'import-panel__subtitle' }, t('import.issues.title', { count: view.issues.length })),
      issues,
      refused
        ? h('p', { class: 'form-error', role: 'alert' }, t('import.preview.refused'))
        : !changes && view.sections.length > 0
          ? h('p', { class: 'import-panel__hint' }, t('import.preview.nothing'))
          : null,
      h('div', { class: 'import-panel__actions' }, importButton),
    )
  }

  input.addEventListener('change', () => {
    const chosen = input.files?.[0] ?? null
    file = chosen
    replaceChildren(preview)
    if (!chosen) return replaceChildren(status)
    if (chosen.size > IMPORT_MAX_BYTES) {
      file = null
      replaceChildren(status, h('p', { class: 'form-error', role: 'alert' }, t('import.fileTooLarge', { file: isolate(chosen.name), size: IMPORT_MAX_BYTES / 1024 / 1024 })))
      return
    }
    replaceChildren(status, h('p', {}, t('import.reading', { file: isolate(chosen.name) })))
    postFile<ImportPreview>(`/api/documents/${encodeURIComponent(options.documentId)}/import/preview`, chosen).then(
      (view) => {
        if (file !== chosen) return
        replaceChildren(status)
        showPreview(chosen, view)
      },
      (error: unknown) => {
        if (file !== chosen) return
        file = null
        fail(error, (problem) => t('import.unreadable', { file: isolate(chosen.name), problem }))
      },
    )
  })

  return h(
    'section',
    { class: 'panel import-panel', 'aria-labelledby': `${id}-title`, 'data-testid': 'import-panel' },
    h('h2', { class: 'panel__title', id: `${id}-title` }, t('import.title')),
    h('p', { class: 'panel__lead', id: `${id}-hint` }, t('import.lead')),
    h('div', { class: 'field' }, h('label', { class: 'field__label', for: input.id }, t('import.fileLabel')), input),
    status,
    preview,
  )
}
