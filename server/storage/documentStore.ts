import * as Y from 'yjs'
import type { HistoryEntry, UpdateOutline } from './updateRecords.js'

/** An update to persist, with the user it came from and when. */
export interface IncomingUpdate {
  update: Uint8Array
  author: string
  at: number
  /**
   * What reading `update` finds, when the caller read it already (the relay
   * checks every keystroke): the store then need not decode it again. It
   * must be what `outlineOf` gives, since history is built from it unchecked.
   */
  outline?: UpdateOutline
}

/** A section's whole state, with its state vector. */
export interface StoredState {
  update: Uint8Array
  /**
   * What `update` holds, as a state vector. Kept beside it, so that a client
   * can be told what the server has without reading the whole state into a
   * Y.Doc first.
   */
  stateVector: Uint8Array
  /**
   * The same state without deleted content, if the store kept it: what a
   * client needs, and a Y.Doc that collects garbage holds anyway. A long
   * edited section's deleted text can be a good part of its bytes.
   */
  lean?: Uint8Array
}

/**
 * Where section documents are kept. The relay only ever loads a section's
 * state and appends updates to it; history reads are for versions and tests.
 * The embedded implementation is `FileDocumentStore`; a server database can
 * implement the same interface.
 */
export interface DocumentStore {
  /**
   * The section's whole state as one Yjs update, or null if nothing was ever
   * stored for it. Throws if stored data exists but cannot be read: the
   * caller must never mistake that for an empty section.
   */
  load(sectionId: string): Promise<Uint8Array | null>
  /** `load`, with the state's state vector. */
  loadState(sectionId: string): Promise<StoredState | null>
  /** Appends updates; resolves once they are durable on disk. */
  append(sectionId: string, updates: IncomingUpdate[]): Promise<void>
  /** Every stored update's history entry, oldest first. */
  history(sectionId: string): Promise<HistoryEntry[]>
  /** The number of the section's last stored update (0 if none): cheap, for versions to point at. */
  lastSeq(sectionId: string): Promise<number>
  /** Rebuilds the section as it was right after the update numbered `seq`. */
  stateAt(sectionId: string, seq: number): Promise<Y.Doc>
  /** Keeps a copy of a section's whole state under `label` (e.g. an approval). */
  keepState(sectionId: string, label: string, state: Uint8Array): Promise<void>
  /** A state kept with `keepState`, or null. */
  keptState(sectionId: string, label: string): Promise<Uint8Array | null>
  /** Folds the update log into the snapshot now. */
  compact(sectionId: string): Promise<void>
  /** Waits for pending work and releases open files. */
  close(): Promise<void>
}
