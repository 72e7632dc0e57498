import { directionOf } from '../../shared/locales.js'
import { currentLocale } from './i18n.js'

/*
 * Text of one direction inside a sentence of the other. A translated
 * sentence with someone's words in it ("Approve “{title}”?", "Resolved by
 * {name}") must keep both in order: an Arabic name in an English sentence,
 * or an English title in an Arabic one, would otherwise pull the
 * punctuation and numbers around it to the wrong side.
 *
 * - In a string (a dialog title, a notice, an `aria-label`, an option):
 *   `isolate(text)`, Unicode first-strong isolate (U+2068…U+2069).
 * - In elements: a `<bdi>` around the text (e.g. a name given to
 *   `messageNodes`), or `dir: 'auto'` on an element that holds only it.
 * - Text that always reads left to right (key names): `isolateLeftToRight`.
 */

const FIRST_STRONG_ISOLATE = '\u2068'
const LEFT_TO_RIGHT_ISOLATE = '\u2066'
const POP_DIRECTIONAL_ISOLATE = '\u2069'

// Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana…).
const RIGHT_TO_LEFT_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/

/**
 * `text` that people wrote (a name, a title, a quote, a file name) ready to
 * go into a placeholder of a message that is a plain string. In a
 * right-to-left interface it is always isolated, so that a Latin title keeps
 * its quotation marks and question mark where they belong; in a
 * left-to-right one it is isolated when it holds right-to-left letters, and
 * otherwise left as it is (English strings, and so accessible names, carry
 * no invisible marks for Latin text).
 */
export function isolate(text: string): string {
  return directionOf(currentLocale()) === 'rtl' || RIGHT_TO_LEFT_LETTER.test(text) ? `${FIRST_STRONG_ISOLATE}${text}${POP_DIRECTIONAL_ISOLATE}` : text
}

/**
 * `text` that reads left to right in every language (a shortcut such as
 * `Ctrl+/`), isolated as such: in an Arabic sentence a trailing `/` or `]`
 * would otherwise move to the other end of it.
 */
export function isolateLeftToRight(text: string): string {
  return `${LEFT_TO_RIGHT_ISOLATE}${text}${POP_DIRECTIONAL_ISOLATE}`
}
