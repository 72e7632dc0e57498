import type { AdminUserView } from '../../shared/api.js'
import { ROLES, type Role } from '../../shared/roles.js'
import { ApiError } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import { describeProblem } from '../problems.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { confirmDialog } from '../shell/dialog.js'
import { avatar, roleLabel } from '../shell/people.js'
import { roleHint } from '../shell/roleHints.js'
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
      email: h('input', { id: 'invite-email', class: 'text-input', type: 'email', autocomplete: 'off', spellcheck: 'false', maxlength: 254, required: true }),
      organisation: h('input', { id: 'invite-organisation', class: 'text-input', type: 'text', autocomplete: 'off', maxlength: 120, required: true }),
      role: h(
        'select',
        { id: 'invite-role', class: 'text-input', required: true },
        h('option', { value: '' }, 'Choose a role…'),
        ...ROLES.map((role) => h('option', { value: role }, `${roleLabel(role)} — ${roleHint(role)}`)),
      ),
    }
    this.inviteButton = h('button', { type: 'submit', class: 'button button--primary' }, 'Create invite link')
    this.inviteError = h('p', { class: 'form-error', role: 'alert' })
    const form = h(
      'form',
      { class: 'invite-form', novalidate: true, 'aria-labelledby': 'invite-heading' },
      this.field('name', 'Name'),
      this.field('email', 'Email'),
      this.field('organisation', 'Organisation'),
      this.field('role', 'Role'),
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
      'Who can work in Drafting Room and what they may do. Changes apply at once, also to sections people have open.',
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'invite-heading' },
        h('h2', { class: 'panel__title', id: 'invite-heading' }, 'Invite someone'),
        h('p', { class: 'panel__lead' }, 'They get a one-time link to set their own password. You pass the link on; it is shown only once.'),
        form,
        this.inviteError,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'people-heading' },
        h('h2', { class: 'panel__title', id: 'people-heading' }, 'People', this.count),
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
                h('th', { scope: 'col' }, 'Name'),
                h('th', { scope: 'col' }, 'Organisation'),
                h('th', { scope: 'col' }, 'Role'),
                h('th', { scope: 'col' }, 'Status'),
                h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
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
    return [...this.users].sort((a, b) => Number(!a.active) - Number(!b.active) || a.name.localeCompare(b.name))
  }

  private render(): void {
    // Re-rendering must not throw the keyboard user off the control they used.
    const active = document.activeElement as HTMLElement | null
    const focusKey = active?.dataset.control && active.closest<HTMLElement>('[data-user-id]')?.dataset.userId
    const control = active?.dataset.control
    const people = this.users.filter((user) => user.active).length
    this.count.textContent = `${people} active${this.users.length > people ? `, ${this.users.length - people} deactivated` : ''}`
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
            h('span', { class: 'person__name' }, user.name, self ? h('span', { class: 'person__you' }, ' (you)') : null),
            h('span', { class: 'person__email' }, user.email),
          ),
        ),
      ),
      h('td', {}, user.organisation),
      h('td', {}, self ? h('span', { title: 'You cannot change your own role.' }, roleLabel(user.role)) : this.roleSelect(user)),
      h('td', {}, this.state(user)),
      h('td', { class: 'data-table__actions' }, ...(self ? [] : this.actions(user))),
    )
  }

  private state(user: AdminUserView): HTMLElement {
    if (!user.active) return h('span', { class: 'pill', 'data-state': 'inactive' }, 'Deactivated')
    if (user.invitePending) return h('span', { class: 'pill', 'data-state': 'pending' }, 'Invite pending')
    return h('span', { class: 'pill', 'data-state': 'active' }, 'Active')
  }

  private roleSelect(user: AdminUserView): HTMLSelectElement {
    const select = h(
      'select',
      { class: 'text-input text-input--compact', 'aria-label': `Role of ${user.name}`, 'data-control': 'role' },
      ...ROLES.map((role) => h('option', { value: role, selected: role === user.role }, roleLabel(role))),
    )
    select.addEventListener('change', () => void this.changeRole(user, select))
    return select
  }

  private actions(user: AdminUserView): HTMLButtonElement[] {
    const buttons: HTMLButtonElement[] = []
    if (user.active && user.invitePending) {
      buttons.push(this.button('New invite link', 'invite', `New invite link for ${user.name}`, () => void this.newLink(user)))
    }
    if (user.active) buttons.push(this.button('Deactivate', 'active', `Deactivate ${user.name}`, () => void this.deactivate(user)))
    else buttons.push(this.button('Reactivate', 'active', `Reactivate ${user.name}`, () => void this.reactivate(user)))
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
    if (missing) return this.inviteFailed(missing, MISSING[missing])
    this.inviteButton.disabled = true
    this.inviteError.textContent = ''
    try {
      const created = await inviteUser(values as NewUser)
      this.users = [...this.users, created.user]
      this.render()
      for (const field of Object.values(this.fields)) {
        field.value = ''
        field.removeAttribute('aria-invalid')
      }
      this.say(`${created.user.name} was invited as ${roleLabel(created.user.role).toLowerCase()}.`)
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
    for (const [name, input] of Object.entries(this.fields)) input.setAttribute('aria-invalid', String(name === field))
    if (field) this.fields[field].focus()
  }

  private async changeRole(user: AdminUserView, select: HTMLSelectElement): Promise<void> {
    const role = select.value as Role
    select.disabled = true
    try {
      this.replace(await updateUser(user.id, { role }))
      this.say(`${user.name} is now ${roleLabel(role).toLowerCase()}. Sections they have open follow at once.`)
    } catch (error) {
      select.value = user.role
      select.disabled = false
      this.failed(error)
    }
  }

  private async deactivate(user: AdminUserView): Promise<void> {
    const updated = await confirmDialog({
      title: `Deactivate ${user.name}?`,
      description: `${user.name} is signed out everywhere at once and can no longer sign in. Their comments and changes stay. You can reactivate the account later.`,
      confirmLabel: 'Deactivate',
      tone: 'danger',
      action: () => updateUser(user.id, { active: false }),
    })
    if (!updated) return
    this.replace(updated)
    this.say(`${user.name} was deactivated and signed out.`)
  }

  private async reactivate(user: AdminUserView): Promise<void> {
    try {
      this.replace(await updateUser(user.id, { active: true }))
      this.say(
        `${user.name} was reactivated${user.invitePending ? '. They have not set a password yet: send them a new invite link.' : ' and can sign in again.'}`,
      )
    } catch (error) {
      this.failed(error)
    }
  }

  private async newLink(user: AdminUserView): Promise<void> {
    try {
      const created = await newInviteLink(user.id)
      this.replace(created.user)
      this.say(`A new invite link for ${user.name} was created; earlier links no longer work.`)
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

const MISSING: Record<InviteField, string> = {
  name: 'Enter the person’s name.',
  email: 'Enter their email address.',
  organisation: 'Enter their organisation, such as “Kenya Red Cross Society”.',
  role: 'Choose what they may do: their role.',
}

function isInviteField(field: string | undefined): field is InviteField {
  return field === 'name' || field === 'email' || field === 'organisation' || field === 'role'
}

function inviteProblem(error: unknown): string {
  if (error instanceof ApiError && error.field === 'email') {
    return error.status === 409 ? 'Someone with this email already has an account.' : 'Enter a valid email address, such as name@redcross.org.'
  }
  return describeProblem(error, { name: 'Name', organisation: 'Organisation', role: 'Role' })
}
