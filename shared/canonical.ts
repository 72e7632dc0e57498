import type { Node as PMNode } from 'prosemirror-model'
import { schema, type SectionJSON } from './schema.js'

/**
 * The canonical form of a section body: round-tripped through the schema (so
 * defaults are filled in and unknown content refused), then serialised with
 * object keys sorted. Two equal documents always give the same string, which
 * is what approvals hash.
 */
export function canonicalSectionJSON(doc: PMNode | SectionJSON): string {
  const node = 'toJSON' in doc && typeof doc.toJSON === 'function' ? (doc as PMNode) : schema.nodeFromJSON(doc)
  const roundTripped = schema.nodeFromJSON(node.toJSON())
  roundTripped.check()
  return stableStringify(roundTripped.toJSON())
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value)
}
