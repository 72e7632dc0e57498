import type { SectionView, UserView } from '../../shared/api.js'
import { CloseCode } from '../../shared/closeCodes.js'
import type { ReadOnlyReason } from '../../shared/relayProtocol.js'
import { can } from '../../shared/roles.js'
import { isCovered, openConnection, type ConnectionState, type SectionConnection } from '../collab/sectionConnection.js'
import { CommentsPanel } from '../comments/commentsPanel.js'
import type { DocumentEvents } from '../documents/documentEvents.js'
import type { SectionPlace } from '../documents/workspace.js'
import { h, replaceChildren } from '../dom.js'
import { SectionEditor } from '../editor/editorView.js'
import { listenForShortcutList } from '../editor/shortcutList.js'
import { HistoryPanel } from '../history/historyPanel.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { homeHref } from '../router.js'
import { messagePanel } from '../shell/messagePanel.js'
import { indicationFor, type Indication } from '../shell/statusIndicator.js'
import { WorkflowBar } from './workflowBar.js'

/** What a section page reports to the app around it. */
export interface SectionPageActions {
  /** The save/connection status for the top bar. */
  showStatus(indication: Indication | null): void
  /** The server no longer knows the session (close code 4401). */
  unauthorized(): void
  /** The server's view of the section differs from ours (e.g. it was approved meanwhile). */
  sectionChanged(): void
}

const READ_ONLY_TEXT: Record<Exclude<ReadOnlyReason, ''> | 'readOnlyRole', MessageKey> = {
  role: 'section.readOnly.role',
  readOnlyRole: 'section.readOnly.readOnlyRole',
  approved: 'section.readOnly.approved',
}

/**
 * Why `user` may not edit `section`, or null if they may. The server's
 * `access` message decides once it has arrived; until then the client
 * mirrors the shared role rules so the page does not flicker.
 */
export function readOnlyReason(user: UserView, section: SectionView, access: ConnectionState['access']): Exclude<ReadOnlyReason, ''> | null {
  const fallback = section.status === 'approved' ? 'approved' : 'role'
  if (access) return access.access === 'write' ? null : access.reason || fallback
  return can(user, 'section.edit', section) ? null : fallback
}

/**
 * One section: its title and status, a banner when it is read-only, the
 * toolbar, the collaborative editor and the comments beside it. It owns the
 * section's connection, editor and comments, and releases them when the user leaves.
 */
export class SectionPage {
  readonly element: HTMLElement
  private place: SectionPlace
  private connection: SectionConnection | null = null
  private editor: SectionEditor | null = null
  private comments: CommentsPanel | null = null
  private history: HistoryPanel | null = null
  private unsubscribe: () => void = () => {}
  private readonly stopShortcuts: () => void
  private checkedAccess: ConnectionState['access'] = null
  // What a refused connection held, until the fresh one shows whether the server lacked any of it.
  private unconfirmed: Map<number, number> | null = null
  private discarded = false
  private readonly workflow: WorkflowBar
  private readonly eyebrow: HTMLElement
  private readonly title: HTMLHeadingElement
  private readonly badge: HTMLElement
  private readonly banner: HTMLElement
  private readonly bannerIcon: HTMLElement
  private readonly bannerText: HTMLElement
  private readonly problem: HTMLElement
  private readonly toolbarBar: HTMLElement
  private readonly paper: HTMLElement
  private readonly column: HTMLElement

  constructor(
    place: SectionPlace,
    private readonly user: UserView,
    private readonly actions: SectionPageActions,
    private readonly events: DocumentEvents,
  ) {
    this.place = place
    this.eyebrow = h('p', { class: 'paper__eyebrow' })
    this.title = h('h1', { class: 'paper__title', id: 'section-title', tabindex: '-1' })
    this.workflow = new WorkflowBar(user, {
      changed: (section) => {
        this.update({ ...this.place, section })
        this.actions.sectionChanged()
      },
    })
    this.badge = h('div', { class: 'paper__meta' }, this.workflow.element)
    this.bannerIcon = h('span', { class: 'banner__icon' })
    this.bannerText = h('p', { class: 'banner__text' })
    this.banner = h('div', { class: 'banner', 'data-testid': 'readonly-banner', hidden: true }, this.bannerIcon, this.bannerText)
    this.problem = h('div', { class: 'banner banner--problem', role: 'alert', hidden: true })
    this.toolbarBar = h('div', { class: 'section-page__toolbar' })
    this.paper = h(
      'article',
      { class: 'paper', 'aria-labelledby': 'section-title' },
      h('header', { class: 'paper__header' }, this.eyebrow, this.title, this.badge),
    )
    this.column = h('div', { class: 'section-page__column' }, this.banner, this.problem, this.paper)
    this.element = h('div', { class: 'section-page section-page--with-comments' }, this.toolbarBar, this.column)
    this.renderHeading()
    this.connect()
    // Ctrl/Cmd-/ shows the keyboard shortcuts from anywhere on the page, not only in the text.
    this.stopShortcuts = listenForShortcutList()
  }

  /** The section this page shows. */
  get sectionId(): string {
    return this.place.section.id
  }

  /** Shows newer data about the same section (title, status, position). */
  update(place: SectionPlace): void {
    this.place = place
    this.renderHeading()
    this.editor?.setTitle(place.section.title)
    this.comments?.sectionChanged()
    this.history?.sectionChanged()
    if (this.connection) this.render(this.connection.state)
  }

  /**
   * Leaves the section: the editor goes now, the connection once its changes
   * are saved. The status line is left to the next page, which may already
   * have set it.
   */
  destroy(): void {
    this.stopShortcuts()
    this.disconnect()
  }

  private connect(): void {
    const connection = openConnection(this.sectionId, this.user, { keepOnDevice: can(this.user, 'section.edit', this.place.section) })
    const comments = new CommentsPanel({
      sectionId: this.sectionId,
      documentId: this.place.document.id,
      user: this.user,
      section: () => this.place.section,
      events: this.events,
      unauthorized: () => this.actions.unauthorized(),
    })
    const editor = new SectionEditor(connection.fragment, connection.provider.awareness, this.place.section.title, comments.hooks)
    comments.attach(editor.view)
    this.connection = connection
    this.editor = editor
    this.comments = comments
    const history = new HistoryPanel({
      sectionId: this.sectionId,
      user: this.user,
      section: () => this.place.section,
      events: this.events,
      unauthorized: () => this.actions.unauthorized(),
    })
    this.history = history
    this.toolbarBar.append(editor.toolbar.element, comments.toggle, history.toggle)
    this.paper.append(editor.element)
    this.element.append(comments.element, history.element)
    this.unsubscribe = connection.subscribe((state) => this.render(state))
    this.render(connection.state)
  }

  private disconnect(): void {
    this.unsubscribe()
    this.editor?.destroy()
    this.comments?.destroy()
    this.history?.destroy()
    this.history = null
    this.connection?.release()
    this.editor = null
    this.comments = null
    this.connection = null
  }

  // Starts over with a fresh document from the server, after a refused change.
  private reload(): void {
    this.disconnect()
    this.problem.hidden = true
    this.connect()
  }

  // The section is read-only, so what this tab holds beyond the server's text must go: start over.
  private revert(): void {
    this.unconfirmed = this.connection?.stateVector ?? null
    this.reload()
  }

  private renderHeading(): void {
    const { document, section, index } = this.place
    this.eyebrow.textContent = t('section.position', { number: index + 1, total: document.sections.length })
    this.title.textContent = section.title
    this.workflow.update(section)
  }

  private render(state: ConnectionState): void {
    const editor = this.editor
    if (!editor) return
    if (state.closed) return this.renderClosed(state)
    if (state.refused) return this.revert()
    if (state.loaded && this.unconfirmed) {
      // The server may have stored those changes just before the lock; say something only if it lacks some.
      this.discarded = !isCovered(this.unconfirmed, this.connection?.stateVector ?? new Map())
      this.unconfirmed = null
    }
    const section = this.place.section
    const reason = readOnlyReason(this.user, section, state.access)
    if (reason === null) this.discarded = false
    // Once per access notice: the lock the server applies disagrees with the status we show.
    if (state.access && state.access !== this.checkedAccess) {
      this.checkedAccess = state.access
      if ((state.access.reason === 'approved') !== (section.status === 'approved')) this.actions.sectionChanged()
    }
    editor.setMode({ loaded: state.loaded, editable: state.loaded && reason === null })
    this.banner.hidden = reason === null
    if (reason) {
      replaceChildren(this.bannerIcon, icon(reason === 'approved' ? 'lock' : 'eye'))
      const text = t(READ_ONLY_TEXT[reason === 'role' && !can(this.user, 'comment.create', section) ? 'readOnlyRole' : reason])
      this.bannerText.textContent = this.discarded ? t('section.readOnly.discarded', { reason: text }) : text
      this.banner.dataset.reason = reason
    }
    this.actions.showStatus(indicationFor(state, reason !== null))
  }

  private renderClosed(state: ConnectionState): void {
    const code = state.closed?.code
    if (code === CloseCode.unauthorized) {
      this.actions.unauthorized()
      return
    }
    if (code === CloseCode.unknownSection || code === CloseCode.forbidden) {
      const missing = code === CloseCode.unknownSection
      this.disconnect()
      this.actions.showStatus(null)
      replaceChildren(
        this.element,
        messagePanel({
          title: t(missing ? 'section.closed.missingTitle' : 'section.closed.forbiddenTitle'),
          body: t(missing ? 'section.closed.missingBody' : 'section.closed.forbiddenBody'),
          icon: missing ? 'document' : 'lock',
          tone: 'problem',
          action: { label: t('section.closed.firstSection'), href: homeHref },
        }),
      )
      return
    }
    this.editor?.setMode({ loaded: true, editable: false })
    const tooLarge = code === CloseCode.tooLarge
    const reloadButton = h('button', { type: 'button', class: 'button button--primary' }, t('section.reload'))
    reloadButton.addEventListener('click', () => this.reload())
    replaceChildren(
      this.problem,
      h('span', { class: 'banner__icon' }, icon('alert')),
      h(
        'p',
        { class: 'banner__text' },
        t(tooLarge ? 'section.problem.tooLarge' : 'section.problem.refused'),
      ),
      reloadButton,
    )
    this.problem.hidden = false
    this.banner.hidden = true
    this.actions.showStatus(indicationFor(state, true))
  }
}
