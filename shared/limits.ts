/** Limits shared by the relay, the HTTP API and the client. */
export const Limits = {
  /** Largest encoded Yjs state a section may hold. */
  sectionBytes: 8 * 1024 * 1024,
  /** Largest websocket frame the relay accepts; above the section cap so that cap is the one reported. */
  websocketPayloadBytes: 10 * 1024 * 1024,
  /** Frames buffered per connection while its section loads. */
  pendingFramesPerConnection: 256,
  /** Largest JSON request body. */
  jsonBodyBytes: 256 * 1024,
  /** Longest section id: ids are generated, so anything longer is bogus. */
  sectionIdLength: 64,
  /** Document updates one connection may send: a burst, then a sustained rate per second. */
  updateBurst: 300,
  updatesPerSecond: 100,
  /** Awareness messages one connection may send: a burst, then per second; the rest are dropped. */
  awarenessBurst: 40,
  awarenessPerSecond: 20,
  /** Largest awareness state of one client, as JSON. */
  awarenessStateBytes: 8 * 1024,
  /** Open collaboration sockets per user, and per network address (conference NATs are large). */
  connectionsPerUser: 24,
  connectionsPerAddress: 1000,
  /** Session lifetime. */
  sessionMs: 14 * 24 * 60 * 60 * 1000,
} as const

/** Section ids: generated, URL- and file-name-safe. */
export const SECTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/
