import type { InviteView, UserView } from '../../shared/api.js'
import type { Locale } from '../../shared/locales.js'
import { ApiError } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { languagePicker } from '../i18n/languagePicker.js'
import { icon } from '../icons.js'
import { describeProblem } from '../problems.js'
import { roleLabel } from '../shell/people.js'
import { roleHint } from '../shell/roleHints.js'
import { acceptInvite, fetchInvite } from './inviteApi.js'

/** Mirrors `newPassword` in shared/api.ts. */
const MIN_PASSWORD_LENGTH = 10

/** What the invite page asks of the app. */
export interface InvitePageActions {
  /** The password is set and the server signed the user in. */
  accepted(user: UserView): void
  /** The user wants the sign-in page instead. */
  signIn(): void
  /** The user chose another interface language: the page is built anew in it. */
  chooseLanguage?(locale: Locale): void
}

/**
 * The page an invite link opens (`#/invite/<token>`): who the invitation is
 * for, and a password to choose (the rule stated up front). An expired or
 * used link gets a page of its own that says what to do next. Shown without
 * the app around it, like the sign-in page, since nobody is signed in yet.
 */
export class InvitePage {
  readonly element: HTMLElement
  private readonly card: HTMLElement

  constructor(
    private readonly token: string,
    private readonly actions: InvitePageActions,
  ) {
    this.card = h('div', { class: 'login__card invite' }, h('p', { class: 'invite__loading', role: 'status' }, t('invite.checking')))
    this.element = h(
      'main',
      { class: 'login' },
      this.card,
      h('p', { class: 'login__help' }, t('invite.help')),
      actions.chooseLanguage ? languagePicker('invite-language', (locale) => actions.chooseLanguage?.(locale)) : null,
    )
    void this.load()
  }

  private async load(): Promise<void> {
    this.card.setAttribute('aria-busy', 'true')
    try {
      this.showForm(await fetchInvite(this.token))
    } catch (error) {
      if (error instanceof ApiError && (error.status === 410 || error.status === 404)) this.showUnusable()
      else this.showUnreachable(error)
    } finally {
      this.card.removeAttribute('aria-busy')
    }
  }

  private showForm(invite: InviteView): void {
    const password = h('input', {
      id: 'invite-password',
      class: 'text-input',
      type: 'password',
      autocomplete: 'new-password',
      minlength: MIN_PASSWORD_LENGTH,
      maxlength: 200,
      required: true,
      'aria-describedby': 'invite-password-hint invite-error',
    })
    const reveal = h('input', { id: 'invite-reveal', type: 'checkbox', class: 'checkbox' })
    reveal.addEventListener('change', () => (password.type = reveal.checked ? 'text' : 'password'))
    const error = h('p', { class: 'problem-notice', id: 'invite-error', role: 'alert' })
    const submit = h('button', { type: 'submit', class: 'button button--primary button--wide' }, t('invite.submit'))
    const form = h(
      'form',
      { class: 'login__form', novalidate: true },
      // For password managers: the account the new password belongs to.
      h('input', { type: 'email', class: 'visually-hidden', autocomplete: 'username', value: invite.email, readonly: true, tabindex: '-1', 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'invite-password', class: 'field__label' }, t('invite.passwordLabel')),
        h('p', { class: 'field__hint', id: 'invite-password-hint' }, t('invite.passwordHint', { min: MIN_PASSWORD_LENGTH })),
        password,
        h('label', { class: 'checkbox-label', for: 'invite-reveal' }, reveal, t('invite.showPassword')),
      ),
      error,
      submit,
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.accept(password, submit, error)
    })
    replaceChildren(
      this.card,
      brand(),
      h('h1', { class: 'login__title invite__title' }, t('invite.welcome', { name: invite.name })),
      h('p', { class: 'login__tagline' }, t('invite.tagline')),
      h(
        'dl',
        { class: 'invite__who', 'aria-label': t('invite.who') },
        // The person's own words keep their own direction (a Latin name or an address in the Arabic interface).
        h('div', {}, h('dt', {}, t('invite.name')), h('dd', { dir: 'auto' }, invite.name)),
        h('div', {}, h('dt', {}, t('invite.organisation')), h('dd', { dir: 'auto' }, invite.organisation)),
        h('div', {}, h('dt', {}, t('invite.email')), h('dd', { dir: 'ltr' }, invite.email)),
        h('div', {}, h('dt', {}, t('invite.role')), h('dd', {}, t('invite.roleWithHint', { role: roleLabel(invite.role), hint: roleHint(invite.role) }))),
      ),
      form,
    )
    password.focus()
  }

  private async accept(password: HTMLInputElement, submit: HTMLButtonElement, error: HTMLElement): Promise<void> {
    if (submit.disabled) return
    const value = password.value
    if (value.length < MIN_PASSWORD_LENGTH) {
      error.textContent =
        value === '' ? t('invite.passwordMissing') : t('invite.passwordTooShort', { min: MIN_PASSWORD_LENGTH, missing: MIN_PASSWORD_LENGTH - value.length })
      password.setAttribute('aria-invalid', 'true')
      password.focus()
      return
    }
    submit.disabled = true
    submit.setAttribute('aria-busy', 'true')
    error.textContent = ''
    password.removeAttribute('aria-invalid')
    try {
      this.actions.accepted(await acceptInvite(this.token, value))
    } catch (failure) {
      submit.disabled = false
      submit.removeAttribute('aria-busy')
      if (failure instanceof ApiError && failure.status === 410) return this.showUnusable()
      error.textContent = describeProblem(failure, { password: t('invite.passwordField') })
      password.setAttribute('aria-invalid', 'true')
      password.focus()
    }
  }

  private showUnusable(): void {
    this.showProblem(t('invite.unusable.title'), t('invite.unusable.body'))
  }

  private showUnreachable(error: unknown): void {
    this.showProblem(t('invite.unreachable.title'), describeProblem(error), { label: t('common.tryAgain'), run: () => void this.load() })
  }

  private showProblem(title: string, body: string, retry?: { label: string; run: () => void }): void {
    const signIn = h('button', { type: 'button', class: `button ${retry ? 'button--quiet' : 'button--primary'} button--wide` }, t('invite.goToSignIn'))
    signIn.addEventListener('click', () => this.actions.signIn())
    let again: HTMLButtonElement | null = null
    if (retry) {
      again = h('button', { type: 'button', class: 'button button--primary button--wide' }, retry.label)
      again.addEventListener('click', retry.run)
    }
    const heading = h('h1', { class: 'login__title invite__title', tabindex: '-1' }, title)
    replaceChildren(
      this.card,
      brand(),
      h('div', { class: 'invite__problem-icon' }, icon(retry ? 'cloudOff' : 'alert')),
      heading,
      h('p', { class: 'login__tagline' }, body),
      h('div', { class: 'invite__actions' }, again, signIn),
    )
    heading.focus()
  }
}

function brand(): HTMLElement {
  return h('div', { class: 'login__brand invite__brand' }, h('span', { class: 'brand__mark', 'aria-hidden': 'true' }), h('span', { class: 'invite__product' }, t('common.productName')))
}
