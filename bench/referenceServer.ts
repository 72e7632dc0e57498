import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import { getYDoc, setupWSConnection } from '@y/websocket-server/utils'
import { listeningLine, preloadFromEnvironment } from './preload.js'

/**
 * The reference y-websocket server, as its own `server.js` runs it: an HTTP
 * server whose upgrades go to `setupWSConnection`, nothing else (no auth, no
 * persistence). It listens on 127.0.0.1 and a free port.
 */

const preload = preloadFromEnvironment()
for (const room of preload?.rooms ?? []) Y.applyUpdate(getYDoc(room), preload!.state)

const websockets = new WebSocketServer({ noServer: true })
const http = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' })
  response.end('okay')
})
http.on('upgrade', (request, socket, head) => {
  websockets.handleUpgrade(request, socket, head, (websocket) => setupWSConnection(websocket, request))
})
http.listen(0, '127.0.0.1', () => console.log(listeningLine((http.address() as AddressInfo).port)))
process.on('SIGTERM', () => process.exit(0))
