import { inputRules, textblockTypeInputRule, wrappingInputRule } from 'prosemirror-inputrules'
import type { Plugin } from 'prosemirror-state'
import { schema } from '../../shared/schema.js'

const { nodes } = schema

/**
 * Markdown-style shortcuts typed at the start of a paragraph, as people know
 * them from Google Docs and Word's autoformat: `- ` or `* ` starts a bullet
 * list, `1. ` a numbered list, `## `–`#### ` a heading (level 1 is the section
 * title, so `# ` does nothing), `> ` a quote.
 */
export function editorInputRules(): Plugin {
  return inputRules({
    rules: [
      wrappingInputRule(/^\s*([-*])\s$/, nodes.bullet_list),
      wrappingInputRule(
        /^(\d+)\.\s$/,
        nodes.ordered_list,
        (match) => ({ order: Number(match[1]) }),
        // Join a preceding list only when the number continues it.
        (match, node) => node.childCount + (node.attrs.order as number) === Number(match[1]),
      ),
      textblockTypeInputRule(/^(#{2,4})\s$/, nodes.heading, (match) => ({ level: match[1]!.length })),
      wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
    ],
  })
}
