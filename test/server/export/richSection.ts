import type { SectionJSON } from '../../../shared/schema.js'
import { schema } from '../../../shared/schema.js'
import { replaceSectionContent } from '../../../server/versions/replaceContent.js'
import type { CollabClient } from '../../helpers/collabClient.js'

const text = (value: string, ...marks: SectionJSON[]): SectionJSON => (marks.length > 0 ? { type: 'text', text: value, marks } : { type: 'text', text: value })
const paragraph = (...content: SectionJSON[]): SectionJSON => ({ type: 'paragraph', content })
const item = (...content: SectionJSON[]): SectionJSON => ({ type: 'list_item', content })

/** The title of the heading inside `RICH_SECTION`. */
export const RICH_HEADING = 'Priorities'

/** Every node and mark of the shared schema, with text that must be escaped, and a right-to-left paragraph. */
export const RICH_SECTION: SectionJSON = {
  type: 'doc',
  content: [
    paragraph(
      text('Armed conflict '),
      text('reshapes', { type: 'strong' }),
      text(' migration, '),
      text('above all', { type: 'em' }),
      text(' in '),
      text('Europe', { type: 'underline' }),
      text('. See '),
      text('the IFRC', { type: 'link', attrs: { href: 'https://www.ifrc.org/', title: null } }),
      text('.'),
      { type: 'hard_break' },
      text('Second line <script>alert(1)</script> & more.'),
    ),
    { type: 'heading', attrs: { level: 2 }, content: [text(RICH_HEADING)] },
    {
      type: 'bullet_list',
      content: [
        item(paragraph(text('Protection along routes'))),
        item(paragraph(text('Access to services')), { type: 'ordered_list', attrs: { order: 1 }, content: [item(paragraph(text('Health care first')))] }),
      ],
    },
    { type: 'ordered_list', attrs: { order: 1 }, content: [item(paragraph(text('First commitment'))), item(paragraph(text('Second commitment')))] },
    { type: 'blockquote', content: [paragraph(text('No one should be left behind.'))] },
    paragraph(text('تعمل الجمعيات الوطنية مع المهاجرين على طول طرق الهجرة')),
  ],
}

/** The texts of the list items of `RICH_SECTION`, in order. */
export const RICH_LIST_ITEMS = ['Protection along routes', 'Access to services', 'Health care first', 'First commitment', 'Second commitment']

/** Makes a connected client's section hold `content`, as an edit of its own, and waits until the server stored it. */
export async function writeSection(client: CollabClient, content: SectionJSON): Promise<void> {
  client.doc.transact(() => replaceSectionContent(client.doc, schema.nodeFromJSON(content)))
  await client.saved()
}

/** The text blocks (headings and paragraphs) of ProseMirror JSON in order, with hard breaks as newlines. */
export function textBlocks(node: SectionJSON, headingOffset = 0): [string, string][] {
  const blocks: [string, string][] = []
  const visit = (current: SectionJSON) => {
    if (current.type === 'paragraph' || current.type === 'heading') {
      const content = (current.content ?? []) as SectionJSON[]
      const text = content.map((inline) => (inline.type === 'hard_break' ? '\n' : (inline.text as string))).join('')
      blocks.push([current.type === 'heading' ? `h${(current.attrs!.level as number) + headingOffset}` : 'p', text])
      return
    }
    for (const child of (current.content ?? []) as SectionJSON[]) visit(child)
  }
  visit(node)
  return blocks
}
