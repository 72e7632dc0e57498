import { API_CACHE, SHELL_CACHE_PREFIX } from './cacheNames.js'

/*
 * The service worker, built on its own into `/sw.js` (see vite.config.ts) so
 * that Drafting Room starts without a network:
 * - the app shell and the build's hashed assets are cached at install;
 *   assets are answered from the cache first (a new content has a new name),
 *   pages from the network first with the cached shell as the fallback;
 * - `GET /api/*` JSON answers come from the network first, and the last good
 *   one is kept for when there is none;
 * - everything else goes to the network untouched: requests that change
 *   state, the collaboration socket, event streams and downloads.
 */

// The few service worker types used here. The WebWorker lib would bring them
// all, but it clashes with the DOM lib the rest of the client is checked with.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}

interface FetchEvent extends ExtendableEvent {
  readonly request: Request
  respondWith(response: Promise<Response>): void
}

interface ServiceWorkerScope {
  readonly location: { readonly origin: string }
  readonly clients: { claim(): Promise<void> }
  skipWaiting(): Promise<void>
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
}

/** Set by the build: a version that changes with the app's files. */
declare const __BUILD_VERSION__: string
/** Set by the build: the files to cache at install, as paths from the site root without the leading slash. */
declare const __PRECACHE_FILES__: string[]

const worker = self as unknown as ServiceWorkerScope
const SHELL_CACHE = `${SHELL_CACHE_PREFIX}${__BUILD_VERSION__}`
// Every page path serves the same index.html, so one cached copy answers for all.
const SHELL_KEY = '/'

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll([SHELL_KEY, ...__PRECACHE_FILES__.map((file) => `/${file}`)]))
      // The client is one bundle: a page still running the previous build loads nothing more
      // of it, so the new worker need not wait for such pages to close.
      .then(() => worker.skipWaiting()),
  )
})

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(SHELL_CACHE_PREFIX) && name !== SHELL_CACHE).map((name) => caches.delete(name))))
      // Pages opened before the worker was installed are served from now on,
      // so what they ask for next is kept for an offline start too.
      .then(() => worker.clients.claim()),
  )
})

worker.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return
  if (url.pathname.startsWith('/api/')) {
    if (request.mode !== 'navigate' && accepts(request, 'application/json')) event.respondWith(apiAnswer(event))
    return
  }
  if (request.mode === 'navigate') event.respondWith(page(event))
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(event))
})

async function page(event: FetchEvent): Promise<Response> {
  try {
    const response = await fetch(event.request)
    if (response.ok && isOfType(response, 'text/html')) event.waitUntil(keep(SHELL_CACHE, SHELL_KEY, response.clone()))
    return response
  } catch (error) {
    const shell = await caches.match(SHELL_KEY, { cacheName: SHELL_CACHE })
    if (shell) return shell
    throw error
  }
}

async function apiAnswer(event: FetchEvent): Promise<Response> {
  const request = event.request
  let response: Response
  try {
    response = await fetch(request)
  } catch (error) {
    const kept = await caches.match(request, { cacheName: API_CACHE })
    if (kept) return kept
    throw error
  }
  // The session is over: what it was shown must not outlive it on this device.
  if (response.status === 401) event.waitUntil(caches.delete(API_CACHE))
  else if (response.ok && isOfType(response, 'application/json')) event.waitUntil(keep(API_CACHE, request, response.clone()))
  return response
}

async function asset(event: FetchEvent): Promise<Response> {
  const kept = await caches.match(event.request, { cacheName: SHELL_CACHE })
  if (kept) return kept
  const response = await fetch(event.request)
  if (response.ok) event.waitUntil(keep(SHELL_CACHE, event.request, response.clone()))
  return response
}

async function keep(cacheName: string, key: RequestInfo, response: Response): Promise<void> {
  try {
    await (await caches.open(cacheName)).put(key, response)
  } catch {
    // A full disk costs only the offline start; the answer itself was served.
  }
}

function accepts(request: Request, type: string): boolean {
  return (request.headers.get('Accept') ?? '').includes(type)
}

function isOfType(response: Response, type: string): boolean {
  return (response.headers.get('Content-Type') ?? '').startsWith(type)
}
