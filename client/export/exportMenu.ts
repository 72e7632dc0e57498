import type { ExportFormat } from '../../shared/exports.js'
import { h } from '../dom.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { icon } from '../icons.js'

let nextId = 0

const FORMATS: { format: ExportFormat; label: MessageKey; hint: MessageKey }[] = [
  { format: 'docx', label: 'export.format.docx', hint: 'export.format.docxHint' },
  { format: 'md', label: 'export.format.md', hint: 'export.format.mdHint' },
  { format: 'html', label: 'export.format.html', hint: 'export.format.htmlHint' },
]

/** The address of an export of the document (`GET /api/documents/:id/export`). */
export function exportHref(documentId: string, format: ExportFormat, approvedOnly: boolean, appendix: boolean): string {
  const query = new URLSearchParams({ format, approvedOnly: String(approvedOnly), appendix: String(appendix) })
  return `/api/documents/${encodeURIComponent(documentId)}/export?${query.toString()}`
}

/**
 * An "Export" disclosure: the two options (approved sections only, open
 * comments as an appendix) and one plain link per format. The links are
 * ordinary downloads, sent with the session cookie.
 */
export function exportMenu(documentId: string): HTMLElement {
  const id = `export-${++nextId}`
  const approvedOnly = h('input', { type: 'checkbox', class: 'checkbox', id: `${id}-approved` })
  const appendix = h('input', { type: 'checkbox', class: 'checkbox', id: `${id}-appendix` })
  const links = FORMATS.map(({ format, label, hint }) => {
    const link = h(
      'a',
      { class: 'export-menu__link', 'data-format': format, download: '', 'aria-describedby': `${id}-${format}-hint` },
      icon('download'),
      h('span', { class: 'export-menu__link-text' }, h('span', {}, t(label)), h('span', { class: 'export-menu__hint', id: `${id}-${format}-hint` }, t(hint))),
    )
    return { format, link }
  })
  const update = (): void => {
    for (const { format, link } of links) link.href = exportHref(documentId, format, approvedOnly.checked, appendix.checked)
  }
  approvedOnly.addEventListener('change', update)
  appendix.addEventListener('change', update)
  update()
  const menu = h(
    'details',
    { class: 'export-menu', 'data-testid': 'export-menu' },
    h('summary', { class: 'button export-menu__summary' }, icon('download'), h('span', {}, t('export.menu'))),
    h(
      'div',
      { class: 'export-menu__popover' },
      h(
        'fieldset',
        { class: 'export-menu__options' },
        h('legend', { class: 'export-menu__legend' }, t('export.options')),
        h('label', { class: 'checkbox-label', for: approvedOnly.id }, approvedOnly, t('export.approvedOnly')),
        h('label', { class: 'checkbox-label', for: appendix.id }, appendix, t('export.appendix')),
      ),
      h('ul', { class: 'export-menu__list', 'aria-label': t('export.downloadAs') }, ...links.map(({ link }) => h('li', {}, link))),
    ),
  )
  menu.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && menu.open) {
      menu.open = false
      menu.querySelector('summary')?.focus()
    }
  })
  // A click elsewhere closes the menu, as menus do.
  const outside = (event: MouseEvent): void => {
    if (!menu.contains(event.target as Node)) menu.open = false
  }
  menu.addEventListener('toggle', () => {
    if (menu.open) document.addEventListener('click', outside)
    else document.removeEventListener('click', outside)
  })
  return menu
}
