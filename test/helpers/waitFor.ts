/**
 * Polls `predicate` until it returns a truthy value, and returns that value.
 * Tests wait on conditions, never on fixed sleeps.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeout = 10_000, interval = 20, message = 'condition' }: { timeout?: number; interval?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout
  let lastError: unknown
  for (;;) {
    try {
      const value = await predicate()
      if (value) return value as NonNullable<T>
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${message}${lastError ? `: ${String(lastError)}` : ''}`)
    }
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}
