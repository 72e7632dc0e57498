// Letters of the scripts written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Adlam.
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]/u
const LETTER = /\p{L}/u

/**
 * Whether `text` reads right to left, decided as a browser decides for
 * `dir="auto"`: by its first letter that has a direction.
 */
export function isRightToLeft(text: string): boolean {
  for (const char of text) {
    if (RIGHT_TO_LEFT.test(char)) return true
    if (LETTER.test(char)) return false
  }
  return false
}
