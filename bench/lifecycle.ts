import { fork, spawn, type ChildProcess, type ForkOptions, type SpawnOptions } from 'node:child_process'
import { rmSync } from 'node:fs'

/**
 * Everything the bench must undo however it ends — normally, on an error, on
 * Ctrl-C or on its deadline: the processes it started and the folders it made.
 */

const children = new Set<ChildProcess>()
const folders = new Set<string>()

/** Spawns a process the bench owns: it is killed when the bench ends. */
export function spawnOwned(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return own(spawn(command, args, options))
}

/** Forks a Node module the bench owns (with an IPC channel): it is killed when the bench ends. */
export function forkOwned(module: string, args: readonly string[], options: ForkOptions): ChildProcess {
  return own(fork(module, args, options))
}

function own(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

/** Whether `child` has exited. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

/** Asks `child` to stop (SIGTERM) and kills it if it has not exited after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 6000): Promise<void> {
  if (hasExited(child)) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Removes `folder` when the bench ends, unless `removeNow` did already. */
export function removeOnExit(folder: string): void {
  folders.add(folder)
}

/** Removes a folder registered with `removeOnExit` now. */
export function removeNow(folder: string): void {
  rmSync(folder, { recursive: true, force: true })
  folders.delete(folder)
}

// Runs in the 'exit' event, where only synchronous work is possible.
function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL')
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
}

/**
 * Makes sure nothing outlives the bench: children are killed and folders
 * removed on exit, on SIGINT/SIGTERM/SIGHUP, and when `deadlineMs` has passed.
 */
export function cleanUpOnExit(deadlineMs: number): void {
  process.on('exit', cleanUp)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers and the load generator.`)
      process.exit(130)
    })
  }
  setTimeout(() => {
    console.error(`\nThe bench ran longer than ${deadlineMs / 60_000} minutes; stopping.`)
    process.exit(1)
  }, deadlineMs).unref()
}
