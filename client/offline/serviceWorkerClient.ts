import { API_CACHE } from './cacheNames.js'

/**
 * Registers the service worker (`/sw.js`) that lets the app start offline.
 * Only in a build: the dev server has no worker to serve. (Not `PROD`,
 * which follows NODE_ENV and is false in the build the tests make.)
 */
export function registerServiceWorker(): void {
  if (import.meta.env.MODE === 'development' || !('serviceWorker' in navigator)) return
  // Once the page has loaded, so that installing, which downloads the app's
  // files, does not compete with the first render on a slow network.
  window.addEventListener(
    'load',
    () => {
      navigator.serviceWorker.register('/sw.js').catch(() => {
        // Without the worker the app works as before; only starting offline is lost.
      })
    },
    { once: true },
  )
}

/** Whether a service worker serves this page's requests now, keeping their answers for an offline start. */
export function isServedByWorker(): boolean {
  return 'serviceWorker' in navigator && navigator.serviceWorker.controller !== null
}

/** Calls `listener` whenever a service worker starts serving this page: after its first install, or an update. */
export function onWorkerChange(listener: () => void): void {
  if ('serviceWorker' in navigator) navigator.serviceWorker.addEventListener('controllerchange', listener)
}

/** Deletes the API answers kept for an offline start (on sign-out: they are the user's data). */
export async function forgetKeptAnswers(): Promise<void> {
  if ('caches' in window) await caches.delete(API_CACHE)
}
