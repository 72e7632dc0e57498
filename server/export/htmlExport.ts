import type { Node as PMNode } from 'prosemirror-model'
import { safeHref } from '../../shared/links.js'
import {
  INPUT_KIND_NAMES,
  STATUS_NAMES,
  approvalSentence,
  longDate,
  type AppendixThread,
  type ExportedDocument,
} from './exportContent.js'

/** Print-first styling: A4 pages, the title page on its own, headings kept with what follows. */
const STYLES = `
  :root { color-scheme: light; }
  body { font-family: "Source Serif 4", Georgia, "Times New Roman", serif; font-size: 11.5pt; line-height: 1.55;
    color: #1a1a1a; max-width: 44rem; margin: 2.5rem auto; padding: 0 1.25rem; }
  h1, h2, h3, h4, h5 { font-family: Inter, "Helvetica Neue", Arial, sans-serif; line-height: 1.25; break-after: avoid; }
  h1 { font-size: 2rem; margin: 0 0 .5rem; }
  h2 { font-size: 1.45rem; margin: 2.5rem 0 .75rem; border-bottom: 1px solid #ccc; padding-bottom: .25rem; }
  main > section:first-child > h2 { margin-top: 0; }
  h3 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
  h4 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
  h5 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
  p, li { orphans: 3; widows: 3; }
  blockquote { margin: 1rem 0; padding-left: 1rem; border-inline-start: 3px solid #999; font-style: italic; }
  a { color: #0b4f8a; }
  .title-page .exported { color: #555; margin-bottom: 2rem; }
  .statuses { border-collapse: collapse; width: 100%; font-family: Inter, "Helvetica Neue", Arial, sans-serif; font-size: .95rem; }
  .statuses th, .statuses td { text-align: start; padding: .35rem .5rem; border-bottom: 1px solid #ddd; }
  .approval { font-style: italic; color: #1f5c2e; font-size: .9rem; overflow-wrap: anywhere; }
  li > p { margin: .2rem 0; }
  .appendix .thread { margin: 1.25rem 0; }
  .appendix .comment, .appendix .input { margin: .25rem 0 .25rem 1rem; }
  @page { size: A4; margin: 22mm 20mm; }
  @media print {
    body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
    .title-page { break-after: page; }
    .appendix { break-before: page; }
    a { color: inherit; }
    a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; color: #555; overflow-wrap: anywhere; }
  }
`

/**
 * The document as a standalone HTML page for reading and printing: no
 * scripts, no outside resources, every text escaped, only http, https and
 * mailto links, and `dir="auto"` on every text block so that right-to-left
 * paragraphs read correctly.
 */
export function htmlExport(document: ExportedDocument): string {
  const scope = document.approvedOnly ? ' (approved sections only)' : ''
  const statusRows = document.sections
    .map((section) => {
      const status = section.approval ? `${STATUS_NAMES.approved} on ${longDate(section.approval.at)}` : STATUS_NAMES[section.status]
      return `<tr><td dir="auto">${escapeHtml(section.title)}</td><td>${escapeHtml(status)}</td></tr>`
    })
    .join('')
  const sections = document.sections
    .map((section) => {
      const approval = section.approval ? `<p class="approval" dir="auto">${escapeHtml(approvalSentence(section.approval))}</p>` : ''
      return `<section id="section-${escapeHtml(section.id)}"><h2 dir="auto">${escapeHtml(section.title)}</h2>${approval}${blocks(section.body)}</section>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Drafting Room">
<title>${escapeHtml(document.title)}</title>
<style>${STYLES}</style>
</head>
<body>
<header class="title-page">
<h1 dir="auto">${escapeHtml(document.title)}</h1>
<p class="exported">Exported on ${escapeHtml(longDate(document.exportedAt))}${escapeHtml(scope)}</p>
${
  document.sections.length > 0
    ? `<table class="statuses"><thead><tr><th>Section</th><th>Status</th></tr></thead><tbody>${statusRows}</tbody></table>`
    : '<p>No sections are approved yet.</p>'
}
</header>
<main>
${sections}
</main>
${document.appendix ? appendix(document.appendix) : ''}
</body>
</html>
`
}

function appendix(threads: AppendixThread[]): string {
  const items = threads.map((thread) => {
    const suggestion = thread.suggestion === null ? '' : `<p dir="auto"><strong>Suggested text:</strong> ${escapeHtml(thread.suggestion)}</p>`
    const comments = thread.comments
      .map((comment) => `<p class="comment" dir="auto"><strong>${escapeHtml(comment.author)} (${escapeHtml(longDate(comment.at))}):</strong> ${escapeHtml(comment.body)}</p>`)
      .join('')
    const inputs = thread.inputs
      .map((input) => `<p class="input" dir="auto"><em>Linked input:</em> ${escapeHtml(`${input.title} (${INPUT_KIND_NAMES[input.kind]}, ${input.source})`)}</p>`)
      .join('')
    return `<div class="thread"><h3 dir="auto">${escapeHtml(`${thread.section}: “${thread.quote}”`)}</h3>${suggestion}${comments}${inputs}</div>`
  })
  const body = items.length > 0 ? items.join('\n') : '<p>There are no open comment threads.</p>'
  return `<aside class="appendix"><h2>Appendix: open comments</h2>\n${body}</aside>`
}

function blocks(node: PMNode): string {
  let html = ''
  node.forEach((child) => (html += block(child)))
  return html
}

function block(node: PMNode): string {
  switch (node.type.name) {
    case 'paragraph':
      return `<p dir="auto">${inline(node)}</p>`
    case 'heading': {
      // Section titles are h2, so the section's own headings (levels 2–4) are h3–h5.
      const tag = `h${(node.attrs.level as number) + 1}`
      return `<${tag} dir="auto">${inline(node)}</${tag}>`
    }
    case 'blockquote':
      return `<blockquote>${blocks(node)}</blockquote>`
    case 'bullet_list':
      return `<ul>${blocks(node)}</ul>`
    case 'ordered_list': {
      const order = node.attrs.order as number
      return `<ol${order === 1 ? '' : ` start="${order}"`}>${blocks(node)}</ol>`
    }
    case 'list_item':
      return `<li dir="auto">${blocks(node)}</li>`
    default:
      throw new Error(`The HTML export does not handle ${node.type.name} nodes`)
  }
}

function inline(node: PMNode): string {
  let html = ''
  node.forEach((child) => {
    if (child.type.name === 'hard_break') {
      html += '<br>'
      return
    }
    if (!child.isText) throw new Error(`The HTML export does not handle ${child.type.name} nodes`)
    let text = escapeHtml(child.text ?? '')
    for (const mark of child.marks) {
      switch (mark.type.name) {
        case 'strong':
          text = `<strong>${text}</strong>`
          break
        case 'em':
          text = `<em>${text}</em>`
          break
        case 'underline':
          text = `<u>${text}</u>`
          break
        case 'link': {
          const href = safeHref(mark.attrs.href as string)
          if (href !== null) text = `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${text}</a>`
          break
        }
        default:
          throw new Error(`The HTML export does not handle ${mark.type.name} marks`)
      }
    }
    html += text
  })
  return html
}

/** `text` with the five characters that mean something in HTML escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
