import { build } from 'vite'
import { fileURLToPath } from 'node:url'

/**
 * Builds the client once before the suite, so the browser tests exercise the
 * same bundle that `npm start` serves.
 */
export default async function setup(): Promise<void> {
  await build({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  })
}
