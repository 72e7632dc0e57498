import { fileURLToPath } from 'node:url'
import { configFromEnvironment } from './config.js'
import { createServer } from './createServer.js'
import { DEMO_USERS } from './demo/demoWorkspace.js'

const SHUTDOWN_DEADLINE_MS = 5000

const clientDir = fileURLToPath(new URL('../client/', import.meta.url))
const parsed = configFromEnvironment(process.env, clientDir)
if ('problems' in parsed) {
  console.error('Drafting Room cannot start; the environment has these problems:')
  for (const problem of parsed.problems) console.error(`  - ${problem}`)
  process.exit(1)
}
const { config } = parsed
const server = await createServer(config)
const address = await server.listen()
const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`

console.log(`Drafting Room is running at ${url}`)
console.log(`Data folder: ${config.dataDir}`)
if (config.demoPassword !== null) {
  console.log(`Demo logins (password "${config.demoPassword}"):`)
  for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(22)} ${user.role.padEnd(9)} ${user.name}, ${user.organisation}`)
}

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  console.log(`${signal}: saving and stopping…`)
  const deadline = setTimeout(() => {
    console.error('Could not stop within 5 seconds; exiting anyway.')
    process.exit(1)
  }, SHUTDOWN_DEADLINE_MS)
  deadline.unref()
  await server.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
