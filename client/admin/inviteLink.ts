import type { InviteCreatedView } from '../../shared/api.js'
import { h } from '../dom.js'
import { formatDateTime } from '../format.js'
import { icon } from '../icons.js'
import { infoDialog } from '../shell/dialog.js'

/**
 * Shows a new invite link once, in a dialog, with a button that copies it.
 * The server keeps only a hash of the token, so this is the one chance to
 * pass it on; the dialog says how to get another.
 */
export function showInviteLink(created: InviteCreatedView): Promise<void> {
  const { user } = created
  const url = `${location.origin}${created.invitePath}`
  const field = h('input', { id: 'invite-link', class: 'text-input invite-link__url', type: 'text', readonly: true, value: url, spellcheck: 'false' })
  const status = h('p', { class: 'invite-link__status', role: 'status' })
  const copy = h('button', { type: 'button', class: 'button button--quiet' }, icon('copy'), h('span', {}, 'Copy link'))
  copy.addEventListener('click', () => void copyText(field, status))
  field.addEventListener('focus', () => field.select())
  return infoDialog({
    title: `Invite link for ${user.name}`,
    description: `Send this link to ${user.name} (${user.email}) by email or chat. It works once, until ${formatDateTime(created.expiresAt)}. It is shown only now: if it gets lost, create a new one from the list of users.`,
    content: h(
      'div',
      { class: 'invite-link' },
      h('label', { class: 'field__label', for: 'invite-link' }, 'Invite link'),
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
    status.textContent = 'Link copied.'
  } catch {
    status.textContent = document.execCommand('copy') ? 'Link copied.' : 'The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.'
  }
}
