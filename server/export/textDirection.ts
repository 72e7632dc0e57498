// Letters of the scripts written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Adlam.
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]/u
const LETTER = /\p{L}/u

/** Whether `char` is a letter written right to left (true), a letter written left to right (false), or has no direction of its own (null: digits, spaces, punctuation). */
function strongDirection(char: string): boolean | null {
  if (RIGHT_TO_LEFT.test(char)) return true
  if (LETTER.test(char)) return false
  return null
}

/**
 * Whether `text` reads right to left, decided as a browser decides for
 * `dir="auto"`: by its first letter that has a direction.
 */
export function isRightToLeft(text: string): boolean {
  for (const char of text) {
    const direction = strongDirection(char)
    if (direction !== null) return direction
  }
  return false
}

/** A stretch of text of one direction. */
export interface DirectionRun {
  text: string
  rightToLeft: boolean
}

/**
 * `text` cut where its letters change direction, for a paragraph that reads
 * right to left or not (`rightToLeft`): "IFRC" inside an Arabic sentence is
 * a left-to-right stretch of its own. Spaces, digits and punctuation stay
 * with the letters around them when both sides agree, and otherwise take
 * the paragraph's direction, as the Unicode bidirectional algorithm places
 * them (so the full stop of an Arabic sentence that ends in a Latin name
 * still ends the sentence).
 */
export function directionRuns(text: string, rightToLeft: boolean): DirectionRun[] {
  const runs: DirectionRun[] = []
  // The start and the end of the paragraph count as letters of its direction.
  let direction = rightToLeft
  let current = ''
  let neutral = ''
  const push = (run: string, runDirection: boolean): void => {
    if (run === '') return
    const last = runs.at(-1)
    if (last && last.rightToLeft === runDirection) last.text += run
    else runs.push({ text: run, rightToLeft: runDirection })
  }
  for (const char of text) {
    const strong = strongDirection(char)
    if (strong === null) {
      neutral += char
    } else if (strong === direction) {
      current += neutral + char
      neutral = ''
    } else {
      // Between two directions, what has none goes with the paragraph's.
      if (direction === rightToLeft) {
        push(current + neutral, direction)
        current = char
      } else {
        push(current, direction)
        current = neutral + char
      }
      neutral = ''
      direction = strong
    }
  }
  if (direction === rightToLeft) {
    push(current + neutral, direction)
  } else {
    push(current, direction)
    push(neutral, rightToLeft)
  }
  return runs
}
