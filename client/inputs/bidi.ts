// Letters that set a direction: right-to-left scripts (Hebrew, Arabic…) and
// left-to-right ones (Latin, Greek, Cyrillic).
const RIGHT_TO_LEFT_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/
const LEFT_TO_RIGHT_LETTER = /[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]/

/**
 * `text` that people wrote (a name, a title), ready to go into a sentence of
 * the interface: when it is written in a direction other than the
 * interface's, e.g. an English title in an Arabic sentence, it is isolated
 * (Unicode first-strong isolate), so that neither reorders the other.
 * Otherwise it is left as it is.
 */
export function isolate(text: string): string {
  const rightToLeft = typeof document !== 'undefined' && document.documentElement.dir === 'rtl'
  const foreign = rightToLeft ? LEFT_TO_RIGHT_LETTER : RIGHT_TO_LEFT_LETTER
  return foreign.test(text) ? `\u2068${text}\u2069` : text
}
