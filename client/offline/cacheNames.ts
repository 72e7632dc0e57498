/**
 * The Cache Storage names the service worker fills and the page empties on
 * sign-out: the one contract between the two.
 */

/** Prefix of the per-build cache of the app shell and its hashed assets; the build's version follows it. */
export const SHELL_CACHE_PREFIX = 'drafting-room-shell-'

/** API answers (`GET /api/*`, JSON) kept so that the app can start offline. Holds the signed-in user's data. */
export const API_CACHE = 'drafting-room-api'
