import { ApiError } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { describeProblem } from '../problems.js'

// Changes often come in bursts (a merge touches many threads): one reload for a burst.
const LIVE_DELAY_MS = 400

/**
 * Loads a report and loads it again, shortly after, whenever something it
 * depends on changes. An answer that a newer request overtook is dropped; a
 * failure is shown in `content` with a way to try again.
 */
export class LiveReport<T> {
  private timer: number | null = null
  private fetchNumber = 0

  constructor(
    private readonly options: {
      fetch: () => Promise<T>
      loaded: (report: T) => void
      content: HTMLElement
      /** The title of the notice a failure shows, e.g. "The report could not be loaded". */
      failedTitle: string
      sessionEnded: () => void
    },
  ) {}

  /** Loads again after a short delay, once per burst of calls. */
  schedule(): void {
    if (this.timer !== null) window.clearTimeout(this.timer)
    this.timer = window.setTimeout(() => {
      this.timer = null
      void this.load()
    }, LIVE_DELAY_MS)
  }

  async load(): Promise<void> {
    const number = ++this.fetchNumber
    try {
      const report = await this.options.fetch()
      if (number === this.fetchNumber) this.options.loaded(report)
    } catch (error) {
      if (number !== this.fetchNumber) return
      if (error instanceof ApiError && error.isUnauthorized) return this.options.sessionEnded()
      const retry = h('button', { type: 'button', class: 'button button--quiet' }, t('common.tryAgain'))
      retry.addEventListener('click', () => void this.load())
      replaceChildren(
        this.options.content,
        h('div', { class: 'empty-state' }, h('p', { class: 'empty-state__title' }, this.options.failedTitle), h('p', {}, describeProblem(error)), retry),
      )
    }
  }

  /** Stops: no reload is pending and no answer still on its way is used. */
  destroy(): void {
    if (this.timer !== null) window.clearTimeout(this.timer)
    this.fetchNumber++
  }
}
