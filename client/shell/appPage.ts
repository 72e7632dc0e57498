import type { DocumentView, UserView } from '../../shared/api.js'

/**
 * A page of the app other than a section (the overview, the administration
 * pages). The app shows its element in `main` and passes it the open
 * document each time that changes. Such pages hold no connections; one
 * that follows the document's event stream stops in `destroy`.
 */
export interface AppPage {
  readonly element: HTMLElement
  /** The open document changed: a section's status, title or order, or a section added or removed. */
  documentChanged?(view: DocumentView): void
  /** The page is being left: stop listening to the event stream. */
  destroy?(): void
}

/** What the app gives the pages it shows. */
export interface PageContext {
  user: UserView
  /** A request found the session gone (401): the app asks the user to sign in again. */
  sessionEnded(): void
}
