/**
 * Websocket close codes used by the relay. 44xx codes are permanent (the stock
 * y-websocket provider does not reconnect after them); 1012 and 1013 are
 * transient and the client reconnects quietly.
 */
export const CloseCode = {
  /** The server restarts; reconnect shortly. */
  serviceRestart: 1012,
  /** The section cannot be served right now, or the client was too fast; retry later. */
  tryAgainLater: 1013,
  /** A malformed or disallowed message. */
  badMessage: 4400,
  /** No valid session on the upgrade request. */
  unauthorized: 4401,
  /** The user may not open this section at all. */
  forbidden: 4403,
  /** No section with that id exists. */
  unknownSection: 4404,
  /** The section would exceed its size cap. */
  tooLarge: 4413,
} as const

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Whether a client should stop reconnecting after the server closed with `code`. */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500
}
