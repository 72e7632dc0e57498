/** Small waiting helpers; every wait is bounded. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** `promise`, or a rejection naming `what` if it takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Polls `condition` every `everyMs` until it holds (true) or `ms` have passed (false). */
export async function pollUntil(condition: () => boolean, ms: number, everyMs = 20): Promise<boolean> {
  const deadline = performance.now() + ms
  while (!condition()) {
    if (performance.now() >= deadline) return false
    await sleep(everyMs)
  }
  return true
}
