import { readFileSync } from 'node:fs'

/**
 * The documents a reference server holds in memory before anyone connects,
 * for the cold-load scenario: one state file, loaded into several rooms.
 * Passed in the environment, so that the servers need no arguments.
 */

const FILE = 'BENCH_PRELOAD_FILE'
const ROOMS = 'BENCH_PRELOAD_ROOMS'

/** The environment that makes a reference server preload `file` into `rooms`. */
export function preloadEnvironment(file: string, rooms: string[]): Record<string, string> {
  return { [FILE]: file, [ROOMS]: rooms.join(',') }
}

/** What this server process should preload, if anything. */
export function preloadFromEnvironment(): { state: Uint8Array; rooms: string[] } | null {
  const file = process.env[FILE]
  const rooms = process.env[ROOMS]
  if (!file || !rooms) return null
  return { state: readFileSync(file), rooms: rooms.split(',') }
}

/** The line every server under test prints once it listens; the bench reads the port from it. */
export const LISTENING = /running at http:\/\/127\.0\.0\.1:(\d+)/

/** That line, for the reference servers. */
export function listeningLine(port: number): string {
  return `running at http://127.0.0.1:${port}`
}
