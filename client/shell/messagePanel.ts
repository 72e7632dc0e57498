import { h } from '../dom.js'
import { icon, type IconName } from '../icons.js'

/** A way forward offered by a message: a link or a button. */
export type MessageAction = { label: string; href: string } | { label: string; onClick: () => void }

/** The content of an empty or error state. */
export interface Message {
  title: string
  body: string
  icon?: IconName
  action?: MessageAction
  tone?: 'neutral' | 'problem'
}

/**
 * An empty or error state: what happened in a heading, what to do next in a
 * sentence, and at most one action. Used wherever a page has nothing else to
 * show, so no screen is ever blank or shows a raw error.
 */
export function messagePanel(message: Message): HTMLElement {
  let action: HTMLElement | null = null
  if (message.action && 'href' in message.action) {
    action = h('a', { class: 'button button--primary', href: message.action.href }, message.action.label)
  } else if (message.action) {
    const onClick = message.action.onClick
    action = h('button', { type: 'button', class: 'button button--primary' }, message.action.label)
    action.addEventListener('click', onClick)
  }
  return h(
    'section',
    { class: `message-panel message-panel--${message.tone ?? 'neutral'}`, 'aria-labelledby': 'message-panel-title' },
    h('div', { class: 'message-panel__icon' }, icon(message.icon ?? 'document')),
    h('h1', { id: 'message-panel-title', class: 'message-panel__title', tabindex: '-1' }, message.title),
    h('p', { class: 'message-panel__body' }, message.body),
    action,
  )
}
