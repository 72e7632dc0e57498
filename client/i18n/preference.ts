import { isLocale, matchLocale, type Locale } from '../../shared/locales.js'

// Kept on the device too, so that the sign-in page (before anyone is known)
// speaks the language last chosen here.
const STORAGE_KEY = 'drafting-room:language'

/** The language to show before the user is known: last chosen on this device, else the browser's. */
export function deviceLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    if (isLocale(stored)) return stored
  } catch {
    // Storage can be refused (private modes, policies); the browser's language still applies.
  }
  return matchLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language])
}

export function rememberOnDevice(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // Not kept on this device; the account still remembers it.
  }
}
