/**
 * Preloaded into each server under test (`node --expose-gc --import`). It
 * answers the bench's `memory` question over IPC with the memory use after a
 * full garbage collection, and stops the server with SIGTERM (its own clean
 * shutdown) if the bench goes away without stopping it. The server itself
 * runs unchanged.
 */
if (process.send) {
  process.on('message', (message: unknown) => {
    if (message !== 'memory') return
    globalThis.gc?.()
    process.send!({ type: 'memory', usage: process.memoryUsage() })
  })
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'))
  // The channel must not keep a server alive that is shutting down.
  process.channel?.unref()
}

export {}
