import type { AdminUserView } from '../../shared/api.js'
import { ROLES, type Role } from '../../shared/roles.js'
import { ApiError } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import type { MessageKey } from '../i18n/english.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { describeProblem } from '../problems.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { confirmDialog } from '../shell/dialog.js'
import { avatar, roleLabel } from '../shell/people.js'
import { roleHint } from '../shell/roleHints.js'
import { isolate } from '../i18n/bidi.js'
import { adminFrame } from './adminFrame.js'
import { fetchUsers, inviteUser, newInviteLink, updateUser, type NewUser } from './adminApi.js'
import { showInviteLink } from './inviteLink.js'

type InviteField = 'name' | 'email' | 'organisation' | 'role'

/**
 * User administration (`#/admin/users`): invite someone with a one-time
 * link, and for everyone with an account change the role, deactivate or
 * reactivate, or send a new link to someone who has not joined yet. An
 * administrator cannot demote or deactivate themselves, so their own row
 * offers neither.
 */
export class UsersPage implements AppPage {
  /** Fetches the users, then builds the page. */
  static async open(context: PageContext): Promise<UsersPage> {
    return new UsersPage(context, await fetchUsers())
  }

  readonly element: HTMLElement
  private users: AdminUserView[]
  private readonly fields: Record<InviteField, HTMLInputElement | HTMLSelectElement>
  private readonly inviteButton: HTMLButtonElement
  private readonly inviteError: HTMLElement
  private readonly count: HTMLElement
  private readonly rows: HTMLElement
  private readonly said: HTMLElement
  private readonly problem: HTMLElement

  private constructor(
    private readonly context: PageContext,
    users: AdminUserView[],
  ) {
    this.users = users
    this.fields = {
      name: h('input', { id: 'invite-name', class: 'text-input', type: 'text', autocomplete: 'off', maxlength: 120, required: true }),
      // Addresses read left to right in every language.
      email: h('input', { id: 'invite-email', class: 'text-input', type: 'email', autocomplete: 'off', spellcheck: 'false', maxlength: 254, required: true, dir: 'ltr' }),
      organisation: h('input', { id: 'invite-organisation', class: 'text-input', type: 'text', autocomplete: 'off', maxlength: 120, required: true }),
      role: h(
        'select',
        { id: 'invite-role', class: 'text-input', required: true },
        h('option', { value: '' }, t('admin.users.chooseRole')),
        ...ROLES.map((role) => h('option', { value: role }, t('admin.users.roleOption', { role: roleLabel(role), hint: roleHint(role) }))),
      ),
    }
    this.inviteButton = h('button', { type: 'submit', class: 'button button--primary' }, t('admin.users.createInvite'))
    this.inviteError = h('p', { class: 'form-error', role: 'alert', id: 'invite-error' })
    const form = h(
      'form',
      { class: 'invite-form', novalidate: true, 'aria-labelledby': 'invite-heading' },
      this.field('name', t('admin.users.field.name')),
      this.field('email', t('admin.users.field.email')),
      this.field('organisation', t('admin.users.field.organisation')),
      this.field('role', t('admin.users.field.role')),
      h('div', { class: 'invite-form__submit' }, this.inviteButton),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.invite()
    })
    this.count = h('span', { class: 'panel__count' })
    this.rows = h('tbody', {})
    this.said = h('p', { class: 'panel__status', role: 'status' })
    this.problem = h('p', { class: 'form-error', role: 'alert' })
    this.element = adminFrame(
      'users',
      t('admin.users.lead'),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'invite-heading' },
        h('h2', { class: 'panel__title', id: 'invite-heading' }, t('admin.users.inviteTitle')),
        h('p', { class: 'panel__lead' }, t('admin.users.inviteLead')),
        form,
        this.inviteError,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'people-heading' },
        h('h2', { class: 'panel__title', id: 'people-heading' }, t('admin.users.people'), this.count),
        this.said,
        this.problem,
        h(
          'div',
          { class: 'table-frame' },
          h(
            'table',
            { class: 'data-table', 'aria-labelledby': 'people-heading' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, t('admin.users.column.name')),
                h('th', { scope: 'col' }, t('admin.users.column.organisation')),
                h('th', { scope: 'col' }, t('admin.users.column.role')),
                h('th', { scope: 'col' }, t('admin.users.column.status')),
                h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('admin.users.column.actions'))),
              ),
            ),
            this.rows,
          ),
        ),
      ),
    )
    this.render()
  }

  private field(name: InviteField, label: string): HTMLElement {
    return h('div', { class: 'field' }, h('label', { class: 'field__label', for: `invite-${name}` }, label), this.fields[name])
  }

  // Active people by name, then those who were deactivated.
  private sorted(): AdminUserView[] {
    return [...this.users].sort((a, b) => Number(!a.active) - Number(!b.active) || a.name.localeCompare(b.name, currentLocale()))
  }

  private render(): void {
    // Re-rendering must not throw the keyboard user off the control they used.
    const active = document.activeElement as HTMLElement | null
    const focusKey = active?.dataset.control && active.closest<HTMLElement>('[data-user-id]')?.dataset.userId
    const control = active?.dataset.control
    const people = this.users.filter((user) => user.active).length
    const deactivated = this.users.length - people
    this.count.textContent = deactivated > 0 ? t('admin.users.countWithDeactivated', { active: people, deactivated }) : t('admin.users.count', { active: people })
    replaceChildren(this.rows, ...this.sorted().map((user) => this.row(user)))
    if (focusKey && control) {
      const row = this.rows.querySelector<HTMLElement>(`[data-user-id="${CSS.escape(focusKey)}"]`)
      ;(row?.querySelector<HTMLElement>(`[data-control="${control}"]`) ?? row?.querySelector<HTMLElement>('[data-control]'))?.focus()
    }
  }

  private row(user: AdminUserView): HTMLElement {
    const self = user.id === this.context.user.id
    return h(
      'tr',
      { 'data-user-id': user.id, class: user.active ? '' : 'data-table__row--inactive' },
      h(
        'th',
        { scope: 'row' },
        h(
          'div',
          { class: 'person' },
          avatar(user),
          h(
            'div',
            { class: 'person__text' },
            h('span', { class: 'person__name' }, h('span', { dir: 'auto' }, user.name), self ? h('span', { class: 'person__you' }, ' ', t('admin.users.you')) : null),
            h('span', { class: 'person__email' }, h('span', { dir: 'ltr' }, user.email)),
          ),
        ),
      ),
      h('td', {}, h('span', { dir: 'auto' }, user.organisation)),
      h('td', {}, self ? h('span', { title: t('admin.users.ownRole') }, roleLabel(user.role)) : this.roleSelect(user)),
      h('td', {}, this.state(user)),
      h('td', { class: 'data-table__actions' }, ...(self ? [] : this.actions(user))),
    )
  }

  private state(user: AdminUserView): HTMLElement {
    if (!user.active) return h('span', { class: 'pill', 'data-state': 'inactive' }, t('admin.users.state.inactive'))
    if (user.invitePending) return h('span', { class: 'pill', 'data-state': 'pending' }, t('admin.users.state.pending'))
    return h('span', { class: 'pill', 'data-state': 'active' }, t('admin.users.state.active'))
  }

  private roleSelect(user: AdminUserView): HTMLSelectElement {
    const select = h(
      'select',
      { class: 'text-input text-input--compact', 'aria-label': t('admin.users.roleOf', { name: isolate(user.name) }), 'data-control': 'role' },
      ...ROLES.map((role) => h('option', { value: role, selected: role === user.role }, roleLabel(role))),
    )
    select.addEventListener('change', () => void this.changeRole(user, select))
    return select
  }

  private actions(user: AdminUserView): HTMLButtonElement[] {
    const buttons: HTMLButtonElement[] = []
    if (user.active && user.invitePending) {
      buttons.push(this.button(t('admin.users.newLink'), 'invite', t('admin.users.newLinkFor', { name: isolate(user.name) }), () => void this.newLink(user)))
    }
    if (user.active) buttons.push(this.button(t('admin.users.deactivate'), 'active', t('admin.users.deactivateName', { name: isolate(user.name) }), () => void this.deactivate(user)))
    else buttons.push(this.button(t('admin.users.reactivate'), 'active', t('admin.users.reactivateName', { name: isolate(user.name) }), () => void this.reactivate(user)))
    return buttons
  }

  private button(label: string, control: string, name: string, onClick: () => void): HTMLButtonElement {
    const button = h('button', { type: 'button', class: 'button button--quiet button--small', 'data-control': control, 'aria-label': name }, label)
    button.addEventListener('click', onClick)
    return button
  }

  private async invite(): Promise<void> {
    const values = {
      name: this.fields.name.value.trim(),
      email: this.fields.email.value.trim(),
      organisation: this.fields.organisation.value.trim(),
      role: this.fields.role.value,
    }
    const missing = (['name', 'email', 'organisation', 'role'] as const).find((field) => values[field] === '')
    if (missing) return this.inviteFailed(missing, t(MISSING[missing]))
    this.inviteButton.disabled = true
    this.inviteError.textContent = ''
    try {
      const created = await inviteUser(values as NewUser)
      this.users = [...this.users, created.user]
      this.render()
      for (const field of Object.values(this.fields)) {
        field.value = ''
        field.removeAttribute('aria-invalid')
        field.removeAttribute('aria-describedby')
      }
      this.say(t('admin.users.invited', { name: isolate(created.user.name), role: created.user.role }))
      await showInviteLink(created)
      this.fields.name.focus()
    } catch (error) {
      if (this.endedSession(error)) return
      const field = error instanceof ApiError && isInviteField(error.field) ? error.field : null
      this.inviteFailed(field, inviteProblem(error))
    } finally {
      this.inviteButton.disabled = false
    }
  }

  private inviteFailed(field: InviteField | null, message: string): void {
    this.inviteError.textContent = message
    // The error line describes the field it is about.
    for (const [name, input] of Object.entries(this.fields)) {
      input.setAttribute('aria-invalid', String(name === field))
      if (name === field) input.setAttribute('aria-describedby', 'invite-error')
      else input.removeAttribute('aria-describedby')
    }
    if (field) this.fields[field].focus()
  }

  private async changeRole(user: AdminUserView, select: HTMLSelectElement): Promise<void> {
    const role = select.value as Role
    select.disabled = true
    try {
      this.replace(await updateUser(user.id, { role }))
      this.say(t('admin.users.roleChanged', { name: isolate(user.name), role }))
    } catch (error) {
      select.value = user.role
      select.disabled = false
      this.failed(error)
    }
  }

  private async deactivate(user: AdminUserView): Promise<void> {
    const updated = await confirmDialog({
      title: t('admin.users.deactivateTitle', { name: isolate(user.name) }),
      description: t('admin.users.deactivateDescription', { name: isolate(user.name) }),
      confirmLabel: t('admin.users.deactivate'),
      tone: 'danger',
      action: () => updateUser(user.id, { active: false }),
    })
    if (!updated) return
    this.replace(updated)
    this.say(t('admin.users.deactivated', { name: isolate(user.name) }))
  }

  private async reactivate(user: AdminUserView): Promise<void> {
    try {
      this.replace(await updateUser(user.id, { active: true }))
      this.say(user.invitePending ? t('admin.users.reactivatedPending', { name: isolate(user.name) }) : t('admin.users.reactivated', { name: isolate(user.name) }))
    } catch (error) {
      this.failed(error)
    }
  }

  private async newLink(user: AdminUserView): Promise<void> {
    try {
      const created = await newInviteLink(user.id)
      this.replace(created.user)
      this.say(t('admin.users.newLinkCreated', { name: isolate(user.name) }))
      await showInviteLink(created)
    } catch (error) {
      this.failed(error)
    }
  }

  private replace(updated: AdminUserView): void {
    this.users = this.users.map((user) => (user.id === updated.id ? updated : user))
    this.problem.textContent = ''
    this.render()
  }

  private say(text: string): void {
    this.problem.textContent = ''
    this.said.textContent = text
  }

  private failed(error: unknown): void {
    if (this.endedSession(error)) return
    this.said.textContent = ''
    this.problem.textContent = describeProblem(error)
  }

  private endedSession(error: unknown): boolean {
    if (!(error instanceof ApiError && error.isUnauthorized)) return false
    this.context.sessionEnded()
    return true
  }
}

const MISSING: Record<InviteField, MessageKey> = {
  name: 'admin.users.missing.name',
  email: 'admin.users.missing.email',
  organisation: 'admin.users.missing.organisation',
  role: 'admin.users.missing.role',
}

function isInviteField(field: string | undefined): field is InviteField {
  return field === 'name' || field === 'email' || field === 'organisation' || field === 'role'
}

function inviteProblem(error: unknown): string {
  if (error instanceof ApiError && error.field === 'email') {
    return error.status === 409 ? t('admin.users.emailTaken') : t('admin.users.emailInvalid')
  }
  return describeProblem(error, { name: t('admin.users.field.name'), organisation: t('admin.users.field.organisation'), role: t('admin.users.field.role') })
}
