import type { UserView } from '../../shared/api.js'
import { ApiError, signIn } from '../api.js'
import type { Locale } from '../../shared/locales.js'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { languagePicker } from '../i18n/languagePicker.js'
import { describeProblem } from '../problems.js'

/** Sentences for what went wrong, in the user's terms rather than the API's. */
function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected')
  if (error.status === 401) return t('login.wrongCredentials')
  if (error.status === 400 && error.field === 'email') return t('login.invalidEmail')
  if (error.status === 400 && error.field === 'password') return t('login.passwordMissing')
  if (error.status === 429) return t('login.tooManyAttempts')
  return describeProblem(error)
}

/**
 * The sign-in page: product name, what it is for, email and password, and
 * one clear message when something is wrong. `onSignedIn` runs with the user
 * once the server has set the session cookie; `notice` explains why the page
 * is shown (e.g. an expired session).
 */
export class LoginPage {
  readonly element: HTMLElement
  private readonly email: HTMLInputElement
  private readonly password: HTMLInputElement
  private readonly submit: HTMLButtonElement
  private readonly error: HTMLElement
  private busy = false

  constructor(
    private readonly onSignedIn: (user: UserView) => void,
    notice: string | null = null,
    onChooseLanguage: (locale: Locale) => void = () => {},
  ) {
    this.email = h('input', {
      id: 'login-email',
      class: 'text-input',
      type: 'email',
      name: 'email',
      autocomplete: 'username',
      inputmode: 'email',
      spellcheck: 'false',
      required: true,
    })
    this.password = h('input', {
      id: 'login-password',
      class: 'text-input',
      type: 'password',
      name: 'password',
      autocomplete: 'current-password',
      required: true,
    })
    this.error = h('p', { class: 'problem-notice', role: 'alert', id: 'login-error' })
    this.submit = h('button', { type: 'submit', class: 'button button--primary button--wide' }, t('login.signIn'))
    const form = h(
      'form',
      { class: 'login__form', novalidate: true, 'aria-describedby': 'login-error' },
      h('div', { class: 'field' }, h('label', { for: 'login-email', class: 'field__label' }, t('login.email')), this.email),
      h('div', { class: 'field' }, h('label', { for: 'login-password', class: 'field__label' }, t('login.password')), this.password),
      this.error,
      this.submit,
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.signIn()
    })
    this.element = h(
      'main',
      { class: 'login' },
      h(
        'div',
        { class: 'login__card' },
        h('div', { class: 'login__brand' }, h('span', { class: 'brand__mark', 'aria-hidden': 'true' }), h('h1', { class: 'login__title' }, t('common.productName'))),
        h('p', { class: 'login__tagline' }, t('login.tagline')),
        notice ? h('p', { class: 'login__notice', role: 'status' }, notice) : null,
        form,
      ),
      h('p', { class: 'login__help' }, t('login.help')),
      languagePicker('login-language', onChooseLanguage),
    )
  }

  /** Puts the cursor in the first empty field. */
  focus(): void {
    ;(this.email.value === '' ? this.email : this.password).focus()
  }

  private async signIn(): Promise<void> {
    if (this.busy) return
    const email = this.email.value.trim()
    const password = this.password.value
    if (email === '') return this.fail(t('login.emailMissing'), this.email)
    if (password === '') return this.fail(t('login.passwordMissing'), this.password)
    this.setBusy(true)
    this.showError('')
    try {
      const user = await signIn(email, password)
      this.onSignedIn(user)
    } catch (error) {
      this.setBusy(false)
      const field = error instanceof ApiError && error.field === 'email' ? this.email : this.password
      this.fail(messageFor(error), field)
    }
  }

  private fail(message: string, field: HTMLInputElement): void {
    this.showError(message, field)
    field.focus()
    if (field === this.password) field.select()
  }

  // The message is announced by the alert region; `aria-invalid` marks the field to fix.
  private showError(message: string, field: HTMLInputElement | null = null): void {
    this.error.textContent = message
    for (const input of [this.email, this.password]) input.setAttribute('aria-invalid', String(input === field))
  }

  private setBusy(busy: boolean): void {
    this.busy = busy
    this.submit.disabled = busy
    this.submit.setAttribute('aria-busy', String(busy))
    this.submit.textContent = busy ? t('login.signingIn') : t('login.signIn')
  }
}
