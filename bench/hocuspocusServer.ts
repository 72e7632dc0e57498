import { Server } from '@hocuspocus/server'
import * as Y from 'yjs'
import { listeningLine, preloadFromEnvironment } from './preload.js'

/**
 * Hocuspocus with its defaults and no extensions (no auth, no persistence),
 * on 127.0.0.1 and a free port. Preloaded rooms are held open by a direct
 * connection, so they stay in memory.
 */

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false })
await server.listen()
const preload = preloadFromEnvironment()
for (const room of preload?.rooms ?? []) {
  const connection = await server.hocuspocus.openDirectConnection(room)
  await connection.transact((doc) => Y.applyUpdate(doc, preload!.state))
}
console.log(listeningLine(server.address.port))
process.on('SIGTERM', () => process.exit(0))
