import type { DocumentView, UserView } from '../shared/api.js'
import { can } from '../shared/roles.js'
import { AuditPage } from './admin/auditPage.js'
import { SectionsPage } from './admin/sectionsPage.js'
import { UsersPage } from './admin/usersPage.js'
import type { Locale } from '../shared/locales.js'
import { ApiError, fetchDocument, fetchDocuments, fetchMe, savePreferences, signOut } from './api.js'
import { forgetLocalStores } from './collab/localStore.js'
import { destroyAllConnections, hasUnsavedChanges, syncKeptChanges } from './collab/sectionConnection.js'
import { DocumentEvents } from './documents/documentEvents.js'
import { Workspace, placeIn, type SectionPlace } from './documents/workspace.js'
import { h, replaceChildren } from './dom.js'
import { currentLocale, t, useLocale } from './i18n/i18n.js'
import { rememberOnDevice } from './i18n/preference.js'
import { InvitePage } from './invite/invitePage.js'
import { InputsPage } from './inputs/inputsPage.js'
import { LoginPage } from './login/loginPage.js'
import { OutlinePanel } from './outline/outlinePanel.js'
import { forgetKeptAnswers, isServedByWorker, onWorkerChange } from './offline/serviceWorkerClient.js'
import { OverviewPage } from './overview/overviewPage.js'
import { CoveragePage } from './reports/coveragePage.js'
import { DispositionsPage } from './reports/dispositionsPage.js'
import { DocumentPage } from './document/documentPage.js'
import { homeHref, parseRoute, sectionHref, type AdminTab } from './router.js'
import { SectionPage } from './section/sectionPage.js'
import type { AppPage, PageContext } from './shell/appPage.js'
import { AppShell } from './shell/appShell.js'
import { describeProblem } from './problems.js'
import { messagePanel, type Message } from './shell/messagePanel.js'

/** Why the sign-in page is shown, when it is not the first visit. */
type LoginNotice = 'sessionEnded'

/** The browser tab's title for a page: "Overview — Drafting Room". */
function pageTitle(page: string): string {
  return t('app.documentTitle', { page, product: t('common.productName') })
}

/** Everything that exists only while someone is signed in. */
interface Session {
  user: UserView
  shell: AppShell
  outline: OutlinePanel
  workspace: Workspace
  events: DocumentEvents | null
  page: SectionPage | null
  /** The page shown when it is not a section (overview, administration). */
  appPage: AppPage | null
}

/**
 * The app: signs the user in, keeps the shell, and shows the page the URL
 * hash names (`#/` or `#/sections/<id>`). It owns the one event stream of
 * the open document and swaps section pages as the user moves around.
 */
export class App {
  private session: Session | null = null
  // Each navigation gets a number; answers that arrive for an older one are dropped.
  private navigation = 0

  constructor(private readonly root: HTMLElement) {
    window.addEventListener('hashchange', () => void this.route(true))
    window.addEventListener('beforeunload', (event) => {
      if (!hasUnsavedChanges()) return
      event.preventDefault()
      // Older browsers only ask when returnValue is set.
      event.returnValue = ''
    })
    onWorkerChange(() => {
      if (this.session) void this.keepStartingPoint()
    })
  }

  /** Finds out who is signed in and shows the right page. */
  async start(): Promise<void> {
    const route = parseRoute(location.hash)
    if (route.name === 'invite') return this.showInvite(route.token)
    let user: UserView
    try {
      user = await fetchMe()
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthorized) return this.showLogin(null)
      document.title = t('common.productName')
      replaceChildren(
        this.root,
        h(
          'main',
          { class: 'standalone' },
          messagePanel({
            title: t('app.unreachable.title'),
            body: describeProblem(error),
            icon: 'cloudOff',
            tone: 'problem',
            action: { label: t('common.tryAgain'), onClick: () => void this.start() },
          }),
        ),
      )
      return
    }
    await this.adoptLanguage(user)
    this.enter(user, true)
  }

  // The account's language wins over the device's: it follows the user to a new machine.
  private async adoptLanguage(user: UserView): Promise<void> {
    if (!user.language || user.language === currentLocale()) return
    rememberOnDevice(user.language)
    await useLocale(user.language)
  }

  private async changeLanguage(locale: Locale): Promise<void> {
    const session = this.session
    try {
      await savePreferences({ language: locale })
    } catch (error) {
      session?.shell.showNotice(describeProblem(error))
      return
    }
    rememberOnDevice(locale)
    // Every page is built in the language in use; a fresh start rebuilds them all.
    location.reload()
  }

  // The notice is a key, not words: choosing another language here builds the page anew in it.
  private showLogin(notice: LoginNotice | null): void {
    document.title = pageTitle(t('app.page.signIn'))
    const words = notice === 'sessionEnded' ? t('app.sessionEnded') : null
    const login = new LoginPage((user) => void this.adoptLanguage(user).then(() => this.enter(user)), words, (locale) => {
      rememberOnDevice(locale)
      void useLocale(locale).then(() => this.showLogin(notice))
    })
    replaceChildren(this.root, login.element)
    login.focus()
  }

  // Builds the signed-in app and goes where the URL points (where the user wanted to go).
  // `checked`: the session check (`/api/me`) led here, rather than signing in.
  private enter(user: UserView, checked = false): void {
    const shell = new AppShell(user, {
      signOut: () => void this.signOut(),
      changeLanguage: (locale) => void this.changeLanguage(locale),
    })
    const outline = new OutlinePanel(user)
    shell.nav.append(outline.element)
    this.session = { user, shell, outline, workspace: new Workspace(), events: null, page: null, appPage: null }
    replaceChildren(this.root, shell.element)
    void this.route(false)
    void syncKeptChanges(user)
    if (!checked) void this.keepStartingPoint()
  }

  // The service worker keeps the API answers the app starts from, so that it
  // can start offline; ask again for those it did not see (the page was not
  // yet served by it, or signing in replaced the session check). Only the
  // worker's copies matter here, so failures are of no concern.
  private async keepStartingPoint(): Promise<void> {
    if (!isServedByWorker()) return
    await Promise.allSettled([
      fetchMe(),
      fetchDocuments().then((documents) => Promise.allSettled(documents.map((summary) => fetchDocument(summary.id)))),
    ])
  }

  private async route(moveFocus: boolean): Promise<void> {
    const route = parseRoute(location.hash)
    if (route.name === 'invite') return this.showInvite(route.token)
    const session = this.session
    if (!session) return
    const navigation = ++this.navigation
    session.shell.pages.setCurrent(route.name)
    try {
      if (route.name === 'home') await this.showHome(session, navigation)
      else if (route.name === 'section') await this.showSection(session, route.sectionId, navigation)
      else if (route.name === 'overview') await this.showOverview(session, navigation)
      else if (route.name === 'document') await this.showWholeDocument(session, navigation)
      else if (route.name === 'admin') await this.showAdmin(session, route.tab, navigation)
      else if (route.name === 'inputs' || route.name === 'coverage' || route.name === 'dispositions') {
        await this.showLibraryPage(session, route.name, navigation)
      }
      else {
        this.showMessage(session, {
          title: t('app.notFound.title'),
          body: t('app.notFound.body'),
          action: { label: t('app.goToFirstSection'), href: homeHref },
        })
      }
    } catch (error) {
      if (navigation !== this.navigation || this.session !== session) return
      if (error instanceof ApiError && error.isUnauthorized) return this.sessionEnded()
      this.showMessage(session, {
        title: error instanceof ApiError && error.isNetworkError ? t('app.offline.title') : t('app.pageFailed.title'),
        body: describeProblem(error),
        icon: error instanceof ApiError && error.isNetworkError ? 'cloudOff' : 'alert',
        tone: 'problem',
        action: { label: t('common.tryAgain'), onClick: () => void this.route(true) },
      })
    }
    if (moveFocus && navigation === this.navigation && this.session === session) session.shell.focusContent()
  }

  private async showHome(session: Session, navigation: number): Promise<void> {
    this.showLoading(session)
    const view = await session.workspace.firstDocument()
    if (navigation !== this.navigation) return
    const first = view?.sections[0]
    if (first) {
      // Replace, so Back does not return to a page that only redirects.
      location.replace(sectionHref(first.id))
      return
    }
    if (view) {
      this.openDocument(session, view)
      this.showMessage(session, {
        title: t('app.noSections.title'),
        body: t('app.noSections.body'),
      })
      return
    }
    this.showNoDocument(session)
  }

  private async showSection(session: Session, sectionId: string, navigation: number): Promise<void> {
    if (session.page?.sectionId === sectionId) return
    let found = this.cachedPlace(session, sectionId)
    if (!found) {
      this.showLoading(session)
      found = await session.workspace.findSection(sectionId)
      if (navigation !== this.navigation) return
    }
    const place = found
    if (!place) {
      this.showMessage(session, {
        title: t('app.sectionGone.title'),
        body: t('app.sectionGone.body'),
        tone: 'problem',
        action: { label: t('app.goToFirstSection'), href: homeHref },
      })
      return
    }
    this.openDocument(session, place.document)
    session.outline.setCurrent(sectionId)
    document.title = t('app.sectionTitle', { section: place.section.title, document: place.document.title, product: t('common.productName') })
    const page = new SectionPage(
      place,
      session.user,
      {
        showStatus: (indication) => session.shell.status.show(indication),
        unauthorized: () => this.sessionEnded(),
        sectionChanged: () => void this.refreshDocument(session, place.document.id),
      },
      session.events!,
    )
    this.setPage(session, page)
    // Titles and statuses may have changed since the document was fetched.
    void this.refreshDocument(session, place.document.id)
  }

  private cachedPlace(session: Session, sectionId: string): SectionPlace | null {
    const id = session.events?.documentId
    const cached = id ? session.workspace.cached(id) : null
    return cached ? placeIn(cached, sectionId) : null
  }

  // Shows `document` in the top bar and outline, with its presence stream.
  private openDocument(session: Session, view: DocumentView): void {
    session.shell.setDocumentTitle(view.title)
    session.shell.setNavVisible(true)
    session.outline.setDocument(view)
    if (session.events?.documentId === view.id) return
    session.events?.close()
    session.events = new DocumentEvents(view.id, {
      presence: (presence) => session.outline.setPresence(presence),
      document: (latest) => {
        session.workspace.remember(latest)
        this.showDocument(session, latest)
      },
      refused: async () => {
        try {
          await fetchMe()
          return true
        } catch (error) {
          if (error instanceof ApiError && error.isUnauthorized) {
            this.sessionEnded()
            return false
          }
          return true
        }
      },
    })
  }

  private closeDocument(session: Session): void {
    session.events?.close()
    session.events = null
    session.shell.setDocumentTitle(null)
    session.shell.setNavVisible(false)
  }

  private async refreshDocument(session: Session, documentId: string): Promise<void> {
    let view: DocumentView
    try {
      view = await session.workspace.refresh(documentId)
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthorized) this.sessionEnded()
      // Otherwise keep what we have: a flaky network should not blank the outline.
      return
    }
    this.showDocument(session, view)
  }

  // Shows the newest view of the open document wherever it appears.
  private showDocument(session: Session, view: DocumentView): void {
    if (this.session !== session || session.events?.documentId !== view.id) return
    session.outline.setDocument(view)
    session.shell.setDocumentTitle(view.title)
    const page = session.page
    const place = page ? placeIn(view, page.sectionId) : null
    if (page && place) page.update(place)
    session.appPage?.documentChanged?.(view)
  }

  private setPage(session: Session, page: SectionPage | null, content?: HTMLElement): void {
    session.page?.destroy()
    session.appPage?.destroy?.()
    session.page = page
    session.appPage = null
    session.shell.main.removeAttribute('aria-busy')
    replaceChildren(session.shell.main, page?.element ?? content ?? null)
  }

  private showLoading(session: Session): void {
    if (session.page) return
    session.shell.main.setAttribute('aria-busy', 'true')
    replaceChildren(session.shell.main, h('p', { class: 'loading' }, t('common.loading')))
  }

  private showMessage(session: Session, message: Message): void {
    session.outline.setCurrent(null)
    session.shell.status.show(null)
    document.title = pageTitle(message.title)
    this.setPage(session, null, messagePanel(message))
  }

  private async showOverview(session: Session, navigation: number): Promise<void> {
    this.showLoading(session)
    const view = await this.currentDocument(session)
    if (navigation !== this.navigation) return
    if (!view) return this.showNoDocument(session)
    this.openDocument(session, view)
    this.showAppPage(session, new OverviewPage(view, this.pageContext(session)), t('app.page.overview'))
    void this.refreshDocument(session, view.id)
  }

  private async showWholeDocument(session: Session, navigation: number): Promise<void> {
    this.showLoading(session)
    const view = await this.currentDocument(session)
    if (navigation !== this.navigation) return
    if (!view) return this.showNoDocument(session)
    this.openDocument(session, view)
    this.showAppPage(session, new DocumentPage(view, this.pageContext(session)), t('app.page.document'))
    void this.refreshDocument(session, view.id)
  }

  private async showAdmin(session: Session, tab: AdminTab, navigation: number): Promise<void> {
    this.showLoading(session)
    const view = await this.currentDocument(session)
    if (navigation !== this.navigation) return
    if (view) this.openDocument(session, view)
    if (!can(session.user, 'users.manage')) {
      this.showMessage(session, {
        title: t('app.adminOnly.title'),
        body: t('app.adminOnly.body'),
        icon: 'lock',
        action: { label: t('app.goToFirstSection'), href: homeHref },
      })
      return
    }
    const context = this.pageContext(session)
    let page: AppPage
    if (tab === 'users') page = await UsersPage.open(context)
    else if (tab === 'audit') page = await AuditPage.open(context)
    else if (view) page = await SectionsPage.open(context, view)
    else return this.showNoDocument(session)
    if (navigation !== this.navigation) return
    this.showAppPage(session, page, t(tab === 'users' ? 'app.page.users' : tab === 'audit' ? 'app.page.audit' : 'app.page.sections'))
    if (view) void this.refreshDocument(session, view.id)
  }

  // The input library and the two reports, for the open document (or the first one).
  private async showLibraryPage(session: Session, name: 'inputs' | 'coverage' | 'dispositions', navigation: number): Promise<void> {
    this.showLoading(session)
    const view = await this.currentDocument(session)
    if (navigation !== this.navigation) return
    if (!view) return this.showNoDocument(session)
    this.openDocument(session, view)
    const context = this.pageContext(session)
    const events = session.events!
    if (name === 'inputs') this.showAppPage(session, new InputsPage(view, context, events), t('app.page.inputs'))
    else if (name === 'coverage') this.showAppPage(session, new CoveragePage(view, context, events), t('app.page.coverage'))
    else this.showAppPage(session, new DispositionsPage(view, context, events), t('app.page.dispositions'))
    void this.refreshDocument(session, view.id)
  }

  // The document open now, or else the first one.
  private async currentDocument(session: Session): Promise<DocumentView | null> {
    const id = session.events?.documentId
    return (id ? session.workspace.cached(id) : null) ?? (await session.workspace.firstDocument())
  }

  private showNoDocument(session: Session): void {
    this.closeDocument(session)
    this.showMessage(session, {
      title: t('app.noDocuments.title'),
      body: t('app.noDocuments.body'),
    })
  }

  private showAppPage(session: Session, page: AppPage, title: string): void {
    session.outline.setCurrent(null)
    session.shell.status.show(null)
    document.title = pageTitle(title)
    this.setPage(session, null, page.element)
    session.appPage = page
  }

  private pageContext(session: Session): PageContext {
    return { user: session.user, sessionEnded: () => this.sessionEnded() }
  }

  // An invite link opens its own page, whoever is signed in here: the link is for someone else.
  private showInvite(token: string): void {
    this.leave()
    document.title = pageTitle(t('app.page.join'))
    const toApp = (): void => history.replaceState(null, '', `${location.pathname}${location.search}#/`)
    const page = new InvitePage(token, {
      accepted: (user) => {
        toApp()
        this.enter(user)
      },
      signIn: () => {
        toApp()
        void this.start()
      },
      chooseLanguage: (locale) => {
        rememberOnDevice(locale)
        void useLocale(locale).then(() => this.showInvite(token))
      },
    })
    replaceChildren(this.root, page.element)
  }

  private async signOut(): Promise<void> {
    const session = this.session
    if (!session) return
    if (hasUnsavedChanges() && !window.confirm(t('app.signOutUnsaved'))) {
      return
    }
    session.shell.setSigningOut(true)
    session.shell.showNotice(null)
    try {
      await signOut()
    } catch (error) {
      // Without the server's answer the session cookie is still valid: say so rather than pretend.
      if (!(error instanceof ApiError && error.isUnauthorized)) {
        session.shell.setSigningOut(false)
        session.shell.showNotice(t('app.signOutFailed'))
        return
      }
    }
    this.leave()
    // What this device kept for offline work is the user's: it goes with them.
    await Promise.all([forgetLocalStores(session.user.id), forgetKeptAnswers()])
    history.replaceState(null, '', `${location.pathname}${location.search}#/`)
    this.showLogin(null)
  }

  // The session expired or was revoked: sign in again and come back to the same place.
  private sessionEnded(): void {
    if (!this.session) return
    this.leave()
    this.showLogin('sessionEnded')
  }

  private leave(): void {
    const session = this.session
    if (!session) return
    this.session = null
    this.navigation++
    session.page?.destroy()
    session.events?.close()
    destroyAllConnections()
  }
}
