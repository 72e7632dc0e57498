import type { InviteCreatedView } from '../../shared/api.js'
import { h } from '../dom.js'
import { formatDateTime } from '../format.js'
import { t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { infoDialog } from '../shell/dialog.js'
import { isolate } from '../i18n/bidi.js'

/**
 * Shows a new invite link once, in a dialog, with a button that copies it.
 * The server keeps only a hash of the token, so this is the one chance to
 * pass it on; the dialog says how to get another.
 */
export function showInviteLink(created: InviteCreatedView): Promise<void> {
  const { user } = created
  const url = `${location.origin}${created.invitePath}`
  // A link reads left to right in every language.
  const field = h('input', { id: 'invite-link', class: 'text-input invite-link__url', type: 'text', readonly: true, value: url, spellcheck: 'false', dir: 'ltr' })
  const status = h('p', { class: 'invite-link__status', role: 'status' })
  const copy = h('button', { type: 'button', class: 'button button--quiet' }, icon('copy'), h('span', {}, t('admin.invite.copy')))
  copy.addEventListener('click', () => void copyText(field, status))
  field.addEventListener('focus', () => field.select())
  return infoDialog({
    title: t('admin.invite.title', { name: isolate(user.name) }),
    description: t('admin.invite.description', { name: isolate(user.name), email: isolate(user.email), expires: formatDateTime(created.expiresAt) }),
    closeLabel: t('admin.invite.done'),
    content: h(
      'div',
      { class: 'invite-link' },
      h('label', { class: 'field__label', for: 'invite-link' }, t('admin.invite.label')),
      h('div', { class: 'invite-link__row' }, field, copy),
      status,
    ),
  })
}

// The Clipboard API needs a secure context (HTTPS or localhost); elsewhere the
// selected text is copied the old way, or left selected for the user to copy.
async function copyText(field: HTMLInputElement, status: HTMLElement): Promise<void> {
  field.select()
  try {
    if (!navigator.clipboard) throw new Error('No clipboard access')
    await navigator.clipboard.writeText(field.value)
    status.textContent = t('admin.invite.copied')
  } catch {
    status.textContent = document.execCommand('copy') ? t('admin.invite.copied') : t('admin.invite.copyByHand')
  }
}
