import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import express from 'express'
import * as Y from 'yjs'
import { Limits } from '../shared/limits.js'
import { can } from '../shared/roles.js'
import type { ServerConfig } from './config.js'
import { AuditLog } from './audit/auditLog.js'
import { auditRoutes } from './audit/auditRoutes.js'
import { authRoutes, cookieSignIn } from './auth/authRoutes.js'
import { SessionService } from './auth/sessions.js'
import { identityOf } from './auth/userView.js'
import { Relay, COLLAB_PATH } from './collab/relay.js'
import type { Identity, RelayHooks } from './collab/hooks.js'
import { seedDemoWorkspace } from './demo/seedDemo.js'
import { DocumentService } from './documents/documentService.js'
import { documentRoutes } from './documents/documentRoutes.js'
import { EventHub } from './events/eventHub.js'
import { Presence } from './events/presence.js'
import { apiNotFound, errorHandler } from './http/errors.js'
import { isSameOrigin, requireSameOrigin } from './http/originCheck.js'
import { securityHeaders } from './http/securityHeaders.js'
import { SectionWorkflow } from './sections/sectionWorkflow.js'
import { sectionRoutes } from './sections/sectionRoutes.js'
import { userRoutes } from './users/userRoutes.js'
import { inputRoutes } from './inputs/inputRoutes.js'
import { threadRoutes } from './comments/threadRoutes.js'
import { reportRoutes } from './reports/reportRoutes.js'
import { exportRoutes } from './export/exportRoutes.js'
import { ImportService } from './import/importService.js'
import { importRoutes } from './import/importRoutes.js'
import { CheckpointScheduler } from './versions/checkpointScheduler.js'
import { VersionService } from './versions/versionService.js'
import { versionRoutes } from './versions/versionRoutes.js'
import { openDatabase, type Database } from './storage/database.js'
import { CrashPoints } from './storage/crashPoints.js'
import { DEFAULT_STORE_POLICY, FileDocumentStore } from './storage/fileDocumentStore.js'

/** A Drafting Room server, built but not yet listening. */
export interface DraftingRoomServer {
  readonly http: Server
  readonly db: Database
  readonly store: FileDocumentStore
  readonly relay: Relay
  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(port?: number, host?: string): Promise<AddressInfo>
  /** Stops accepting, persists everything pending, closes every connection. */
  close(): Promise<void>
}

/** Builds the server for `config`: HTTP API, static client and collaboration relay. */
export async function createServer(config: ServerConfig): Promise<DraftingRoomServer> {
  const db = await openDatabase(config.dataDir)
  const store = new FileDocumentStore(
    config.dataDir,
    { ...DEFAULT_STORE_POLICY, maxLogRecords: config.compactAfterRecords },
    (message) => config.log(`warning: ${message}`),
    new CrashPoints(config.crashAt),
  )
  if (config.demoPassword !== null && (await seedDemoWorkspace(db, store, config.demoPassword))) {
    config.log('Seeded the demo workspace.')
  }
  const sessions = new SessionService(db)
  const events = new EventHub()

  let relay: Relay
  const liveDoc = async (sectionId: string): Promise<Y.Doc | null> => {
    const room = await relay.room(sectionId)
    return room ? room.doc : null
  }
  const documents = new DocumentService(db, store, liveDoc)

  const presence = new Presence(
    (documentId) => documents.sectionsOf(documentId).map((section) => section.id),
    (sectionId) => documents.section(sectionId)?.documentId ?? null,
    (sectionId) => relay.presentIn(sectionId),
    events,
  )

  // Sections whose updates are held in memory because the disk refused them.
  const failingStores = new Set<string>()
  const hooks: RelayHooks = {
    authenticate: (request) => {
      const user = sessions.userOfRequest(request)
      return user ? identityOf(user) : null
    },
    authorize: (identity: Identity, sectionId: string) => {
      const section = documents.section(sectionId)
      if (!section) return { refuse: 'unknown', reason: 'No such section' }
      const user = db.data.users.find((candidate) => candidate.id === identity.id)
      if (!user || !can(user, 'section.read', section)) return { refuse: 'forbidden', reason: 'You may not open this section' }
      if (can(user, 'section.edit', section)) return { access: 'write', reason: '' }
      return { access: 'read', reason: section.status === 'approved' ? 'approved' : 'role' }
    },
    load: (sectionId) => store.loadState(sectionId),
    store: (sectionId, updates) => store.append(sectionId, updates),
    onChange: (sectionId) => {
      documents.textChanged(sectionId)
      checkpoints.activity(sectionId)
    },
    onPresence: (sectionId) => presence.changed(sectionId),
    onUnload: (sectionId) => store.release(sectionId),
    onStoreError: (sectionId, error) => {
      failingStores.add(sectionId)
      config.log(`error: could not persist section ${sectionId}, will retry: ${(error as Error).message}`)
    },
    onStoreRecovered: (sectionId) => {
      failingStores.delete(sectionId)
      config.log(`Persisting section ${sectionId} works again.`)
    },
  }
  relay = new Relay(hooks, config.log, config.connectionCaps)

  const audit = new AuditLog(db)
  const documentChanged = (documentId: string): void => {
    void documents.view(documentId).then((document) => {
      if (document) events.publish(documentId, { type: 'document', document })
    })
  }
  const versions = new VersionService(db, store, relay, documents, audit, (section, version) =>
    events.publish(section.documentId, { type: 'version', version }),
  )
  const logCheckpointError = (sectionId: string) => (error: unknown) =>
    config.log(`error: could not take a checkpoint of section ${sectionId}: ${(error as Error).message}`)
  // Checkpoints never fail what triggered them: a failure is logged and the next one covers the text.
  const checkpoints = new CheckpointScheduler((sectionId) => versions.pause(sectionId).catch(logCheckpointError(sectionId)))
  const workflow = new SectionWorkflow(
    db,
    store,
    relay,
    documents,
    audit,
    (section) => documentChanged(section.documentId),
    (section, action, user) => versions.statusChanged(section, action, user).catch(logCheckpointError(section.id)),
  )
  const imports = new ImportService({
    db,
    store,
    relay,
    documents,
    audit,
    documentChanged,
    keepBeforeReplacing: (section, user) =>
      versions
        .checkpoint(section, { kind: 'auto', label: 'Before importing a Word file', createdBy: user.id, onlyIfChanged: true })
        .then(() => undefined),
  })
  const secureCookies = config.trustProxy

  const app = express()
  app.disable('x-powered-by')
  if (config.trustProxy) app.set('trust proxy', 1)
  app.use(securityHeaders)
  app.get('/healthz', (_request, response) => {
    response.json(failingStores.size === 0 ? { status: 'ok' } : { status: 'degraded', sectionsNotPersisting: failingStores.size })
  })
  app.use('/api', requireSameOrigin(config.trustProxy), express.json({ limit: Limits.jsonBodyBytes }))
  app.use(authRoutes(db, sessions, audit, { secureCookies }))
  app.use(documentRoutes(documents, sessions, events, presence))
  app.use(sectionRoutes({ db, store, relay, documents, workflow, audit, sessions, documentChanged }))
  app.use(userRoutes({ db, sessions, relay, events, audit, signIn: cookieSignIn(sessions, { secureCookies }) }))
  app.use(auditRoutes(audit, sessions))
  app.use(inputRoutes({ db, sessions, documents, events, audit }))
  app.use(threadRoutes({ db, store, relay, sessions, documents, events, audit }))
  app.use(reportRoutes(db, documents, sessions))
  app.use(versionRoutes({ versions, documents, sessions }))
  app.use(exportRoutes({ sources: { db, store, relay, documents }, sessions, audit }))
  app.use(importRoutes({ imports, sessions }))
  app.use('/api', apiNotFound)
  if (config.clientDir && existsSync(join(config.clientDir, 'index.html'))) {
    const clientDir = config.clientDir
    // The service worker is checked on every visit so that a new build takes over at once.
    if (existsSync(join(clientDir, 'sw.js'))) {
      app.get('/sw.js', (_request, response) => {
        response.sendFile(join(clientDir, 'sw.js'), { headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' } })
      })
    }
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }))
    // The client routes in the browser; every other page path serves the app.
    app.get('/{*path}', (_request, response) => {
      response.sendFile(join(clientDir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } })
    })
  }
  app.use(errorHandler((message, error) => config.log(`error: ${message}: ${(error as Error)?.stack ?? String(error)}`)))

  const http = createHttpServer(app)
  http.on('upgrade', (request, socket, head) => {
    if (!(request.url ?? '').startsWith(COLLAB_PATH)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    // Another site's page must not open a socket with our user's cookie.
    if (!isSameOrigin(request, config.trustProxy)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    relay.handleUpgrade(request, socket, head)
  })
  http.on('clientError', (_error, socket) => socket.destroy())

  return {
    http,
    db,
    store,
    relay,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        http.once('error', reject)
        http.listen(port, host, () => {
          http.off('error', reject)
          resolve(http.address() as AddressInfo)
        })
      }),
    close: async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()))
      presence.close()
      events.close()
      await checkpoints.close()
      await relay.close()
      http.closeAllConnections()
      await closed
      await store.close()
      await db.write()
    },
  }
}
