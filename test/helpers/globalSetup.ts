import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Builds what `npm start` runs, once before the suite: the client bundle for
 * the browser tests and the compiled server for the tests that run it as a
 * child process (crash and shutdown).
 */
export default async function setup(): Promise<void> {
  await build({ configFile: `${root}vite.config.ts`, logLevel: 'warn' })
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.server.json`], {
    cwd: root,
    stdio: 'inherit',
  })
}
