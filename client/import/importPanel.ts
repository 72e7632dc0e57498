import { IMPORT_MAX_BYTES, type ImportAction, type ImportPreview, type ImportResult } from '../../shared/exports.js'
import { ApiError } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import { describeProblem } from '../problems.js'

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

const ACTION_LABEL: Record<ImportAction, string> = {
  create: 'New section',
  replace: 'Replaces the text',
  unchanged: 'Unchanged',
  refused: 'Refused',
}

let nextId = 0

// Sends the file itself as the request body and reads the JSON answer, or throws an ApiError in words.
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
    throw new ApiError(0, 'network', 'Drafting Room cannot be reached. Check your connection and try again.')
  }
  let parsed: unknown = null
  try {
    parsed = await response.json()
  } catch {
    // Reported by status below.
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; field?: string } } | null)?.error
    if (error?.message) throw new ApiError(response.status, error.code ?? 'http_error', error.message, error.field)
    throw new ApiError(response.status, 'http_error', response.status === 413 ? 'The file is too large to import.' : 'The file could not be imported. Please try again.')
  }
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

  const fail = (error: unknown, what: string): void => {
    if (error instanceof ApiError && error.isUnauthorized) return options.sessionEnded()
    replaceChildren(status, h('p', { class: 'form-error', role: 'alert' }, `${what} ${describeProblem(error)}`))
  }

  const apply = async (button: HTMLButtonElement): Promise<void> => {
    if (!file) return
    button.disabled = true
    replaceChildren(status, h('p', {}, 'Importing…'))
    try {
      const result = await postFile<ImportResult>(`/api/documents/${encodeURIComponent(options.documentId)}/import`, file)
      const parts = [
        `${result.created.length} ${result.created.length === 1 ? 'section' : 'sections'} created`,
        `${result.replaced.length} replaced`,
        `${result.unchanged.length} unchanged`,
      ]
      replaceChildren(preview)
      replaceChildren(status, h('p', { class: 'import-panel__done' }, `Imported “${file.name}”: ${parts.join(', ')}.`))
      input.value = ''
      file = null
      options.imported(result)
    } catch (error) {
      button.disabled = false
      fail(error, 'The file was not imported.')
    }
  }

  const showPreview = (chosen: File, view: ImportPreview): void => {
    const refused = view.sections.some((section) => section.action === 'refused')
    const changes = view.sections.some((section) => section.action === 'create' || section.action === 'replace')
    const importButton = h('button', { type: 'button', class: 'button button--primary', disabled: refused || !changes }, 'Import')
    importButton.addEventListener('click', () => void apply(importButton))
    const rows = view.sections.map((section) =>
      h(
        'tr',
        { 'data-action': section.action },
        h('td', {}, section.title),
        h('td', {}, h('span', { class: `import-action import-action--${section.action}` }, ACTION_LABEL[section.action]), section.refusal ? h('span', { class: 'import-panel__refusal' }, ` ${section.refusal}`) : null),
      ),
    )
    const issues =
      view.issues.length === 0
        ? h('p', { class: 'import-panel__hint' }, 'Everything in the file fits the editor: nothing is left out.')
        : h(
            'ul',
            { class: 'import-panel__issues' },
            ...view.issues.map((issue) =>
              h(
                'li',
                {},
                h('strong', {}, issue.outcome === 'omitted' ? 'Left out' : 'Simplified'),
                ` (${issue.element}${issue.section ? `, in “${issue.section}”` : ', before the first section'}): `,
                issue.message,
              ),
            ),
          )
    replaceChildren(
      preview,
      h('h3', { class: 'import-panel__subtitle' }, `What importing “${chosen.name}” would do`),
      view.sections.length === 0
        ? h('p', { class: 'form-error' }, 'The file has no top-level headings, so it holds no sections to import.')
        : h(
            'table',
            { class: 'import-panel__table' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Section'), h('th', { scope: 'col' }, 'What happens'))),
            h('tbody', {}, ...rows),
          ),
      h('h3', { class: 'import-panel__subtitle' }, `What the editor cannot hold (${view.issues.length})`),
      issues,
      refused
        ? h('p', { class: 'form-error', role: 'alert' }, 'The file would change an approved section, so it cannot be imported. An approver can reopen the section first.')
        : !changes && view.sections.length > 0
          ? h('p', { class: 'import-panel__hint' }, 'The document already has this text: there is nothing to import.')
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
      replaceChildren(status, h('p', { class: 'form-error', role: 'alert' }, `“${chosen.name}” is larger than the ${IMPORT_MAX_BYTES / 1024 / 1024} MB an import may be.`))
      return
    }
    replaceChildren(status, h('p', {}, `Reading “${chosen.name}”…`))
    postFile<ImportPreview>(`/api/documents/${encodeURIComponent(options.documentId)}/import/preview`, chosen).then(
      (view) => {
        if (file !== chosen) return
        replaceChildren(status)
        showPreview(chosen, view)
      },
      (error: unknown) => {
        if (file !== chosen) return
        file = null
        fail(error, `“${chosen.name}” could not be read.`)
      },
    )
  })

  return h(
    'section',
    { class: 'panel import-panel', 'aria-labelledby': `${id}-title`, 'data-testid': 'import-panel' },
    h('h2', { class: 'panel__title', id: `${id}-title` }, 'Import a Word draft'),
    h(
      'p',
      { class: 'panel__lead', id: `${id}-hint` },
      'Its top-level headings become sections; a section with the same title gets the file’s text. You see what would happen before anything changes.',
    ),
    h('div', { class: 'field' }, h('label', { class: 'field__label', for: input.id }, 'Word file (.docx)'), input),
    status,
    preview,
  )
}
