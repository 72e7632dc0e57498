import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { StoredState } from './documentStore.js'

// The worker's code, run from a string so that it starts the same from the
// TypeScript sources (tests) and from the build. It loads the same yjs the
// server uses, resolved here. The updates are applied to a document that
// keeps deleted content (gc off), so the result holds everything they hold,
// as Y.mergeUpdates would give it; but Y.mergeUpdates grows faster than the
// number of updates (2,000 keystrokes of 200 writers: ~150 ms, 10,000:
// ~2.5 s), where applying them takes ~20 ms and ~40 ms.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Y = require(workerData.yjs)
// Linux gives each thread its own nice value; elsewhere a background worker
// keeps the process's priority.
if (workerData.background) {
  try {
    const thread = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop())
    require('node:os').setPriority(thread, 10)
  } catch {}
}
parentPort.on('message', ({ id, updates, lean }) => {
  const doc = new Y.Doc({ gc: false })
  try {
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update)
    })
    const update = Y.encodeStateAsUpdate(doc)
    const stateVector = Y.encodeStateVector(doc)
    const answer = { id, update, stateVector }
    if (lean) {
      // A document that collects garbage drops deleted content as it applies.
      const collecting = new Y.Doc()
      Y.applyUpdate(collecting, update)
      answer.lean = Y.encodeStateAsUpdate(collecting)
      collecting.destroy()
    }
    parentPort.postMessage(answer, [update.buffer, stateVector.buffer, ...(answer.lean ? [answer.lean.buffer] : [])])
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) })
  } finally {
    doc.destroy()
  }
})
`

interface Pending {
  resolve(merged: StoredState): void
  reject(error: Error): void
}

/**
 * Merges Yjs updates on a worker thread. Folding thousands of updates into
 * a large section's snapshot takes tens of milliseconds of CPU; on the main
 * thread that would hold up every keystroke of every open section.
 */
export class UpdateMerger {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 0

  /**
   * @param background run at a low priority (nice 10), for work no one
   *   waits for at once (folding a log into its snapshot): on a small
   *   machine it must not take a core from the thread relaying keystrokes.
   *   Not the lowest: the section's next store waits for the fold, and a
   *   thread at nice 19 gets next to nothing of a busy core.
   */
  constructor(private readonly background = false) {}

  /**
   * `updates` merged into one, with its state vector, computed off the main
   * thread; with `lean`, also the same state without deleted content.
   */
  merge(updates: Uint8Array[], lean = false): Promise<StoredState> {
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    return new Promise<StoredState>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      // Pending work keeps the process alive; an idle worker does not.
      worker.ref()
      worker.postMessage({ id, updates, lean })
    })
  }

  /** Stops the worker; merges asked for afterwards start a new one. */
  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }

  private start(): Worker {
    const yjs = createRequire(import.meta.url).resolve('yjs')
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs, background: this.background } })
    worker.unref()
    worker.on('message', (answer: { id: number; update?: Uint8Array; stateVector?: Uint8Array; lean?: Uint8Array; error?: string }) => {
      const request = this.pending.get(answer.id)
      this.pending.delete(answer.id)
      if (this.pending.size === 0) worker.unref()
      if (!request) return
      if (answer.update && answer.stateVector) {
        request.resolve({ update: answer.update, stateVector: answer.stateVector, ...(answer.lean ? { lean: answer.lean } : {}) })
      } else {
        request.reject(new Error(`Merging updates failed: ${answer.error}`))
      }
    })
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null
      for (const request of this.pending.values()) request.reject(error)
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`The update merging worker stopped (exit code ${code})`)))
    this.worker = worker
    return worker
  }
}

