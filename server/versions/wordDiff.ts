import type { DiffMark, DiffText } from '../../shared/versions.js'

/** Past this many word pairs a replacement is shown as it was stored, not compared word by word. */
const MAX_COMPARED_PAIRS = 250_000

/**
 * Shows a replaced stretch of text by the words that differ. A restore, an
 * import or a suggestion replaces a paragraph's changed stretch as a whole
 * (delete, then insert), so the Yjs items say "all of this was deleted and
 * inserted again" even where the words are the same. Each stretch of
 * adjacent changed runs holding both deletions and insertions is compared
 * word by word; words on both sides become unchanged, the rest keep their
 * change, author and marks.
 */
export function realignReplacements(runs: DiffText[]): DiffText[] {
  const result: DiffText[] = []
  for (let start = 0; start < runs.length; ) {
    if (runs[start]!.change === null) {
      result.push(runs[start++]!)
      continue
    }
    let end = start
    while (end < runs.length && runs[end]!.change !== null) end++
    const changed = runs.slice(start, end)
    const replaced = changed.some((run) => run.change === 'deleted') && changed.some((run) => run.change === 'inserted')
    result.push(...(replaced ? realign(changed) : changed))
    start = end
  }
  return result
}

/** One side of a replacement: its text, and for each character the run it came from. */
interface Side {
  runs: DiffText[]
  text: string
  owner: number[]
  words: string[]
}

function sideOf(runs: DiffText[]): Side {
  const owner: number[] = []
  runs.forEach((run, index) => {
    for (let i = 0; i < run.text.length; i++) owner.push(index)
  })
  const text = runs.map((run) => run.text).join('')
  return { runs, text, owner, words: text.split(/(\s+)/).filter((word) => word !== '') }
}

function realign(changed: DiffText[]): DiffText[] {
  const before = sideOf(changed.filter((run) => run.change === 'deleted'))
  const after = sideOf(changed.filter((run) => run.change === 'inserted'))
  const n = before.words.length
  const m = after.words.length
  if (n * m > MAX_COMPARED_PAIRS) return changed
  // common[i][j]: length of the longest common word sequence of before.words[i..] and after.words[j..].
  const width = m + 1
  const common = new Uint32Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i * width + j] =
        before.words[i] === after.words[j] ? common[(i + 1) * width + j + 1]! + 1 : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!)
    }
  }
  const output = new RunBuilder()
  let i = 0
  let j = 0
  let beforeAt = 0
  let afterAt = 0
  const take = (side: Side, from: number, length: number, change: DiffText['change']) => {
    for (let k = from; k < from + length; k++) {
      const run = side.runs[side.owner[k]!]!
      output.push(side.text[k]!, change === null ? { ...run, change: null, author: null } : run)
    }
  }
  while (i < n || j < m) {
    if (i < n && j < m && before.words[i] === after.words[j]) {
      // The same words: shown once, as they read now.
      take(after, afterAt, after.words[j]!.length, null)
      beforeAt += before.words[i++]!.length
      afterAt += after.words[j++]!.length
    } else if (j === m || (i < n && common[(i + 1) * width + j]! >= common[i * width + j + 1]!)) {
      take(before, beforeAt, before.words[i]!.length, 'deleted')
      beforeAt += before.words[i++]!.length
    } else {
      take(after, afterAt, after.words[j]!.length, 'inserted')
      afterAt += after.words[j++]!.length
    }
  }
  return output.runs
}

/** Collects characters into runs, starting a new run when change, author or marks differ. */
class RunBuilder {
  readonly runs: DiffText[] = []

  push(char: string, like: DiffText): void {
    const last = this.runs.at(-1)
    if (last && last.change === like.change && last.author?.id === like.author?.id && sameMarks(last.marks, like.marks)) {
      last.text += char
    } else {
      this.runs.push({ type: 'text', text: char, marks: like.marks, change: like.change, author: like.author })
    }
  }
}

/** Whether two runs carry the same marks (both sorted by type). */
export function sameMarks(a: DiffMark[], b: DiffMark[]): boolean {
  return a.length === b.length && a.every((mark, i) => mark.type === b[i]!.type && mark.attrs?.href === b[i]!.attrs?.href)
}
