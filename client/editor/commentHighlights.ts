import { keydownHandler } from 'prosemirror-keymap'
import type { Node as PMNode } from 'prosemirror-model'
import { Plugin, PluginKey, Selection, TextSelection, type EditorState } from 'prosemirror-state'
import type { Mapping } from 'prosemirror-transform'
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view'
import { ySyncPluginKey } from 'y-prosemirror'
import type { Anchor } from '../../shared/anchors.js'
import { placeOf, type AnchorPlace } from './anchoring.js'
import { Shortcuts } from './keymap.js'

/** A thread as the highlights need it. */
export interface HighlightedThread {
  id: string
  anchor: Pick<Anchor, 'start' | 'end'>
  /** Whether its range is highlighted (open threads, or resolved ones while they are listed). */
  visible: boolean
}

/** Thread id → where its anchor lies now. */
export type ThreadPlaces = ReadonlyMap<string, AnchorPlace>

/** What the comment highlights ask of the comments panel. */
export interface CommentHooks {
  /** Whether the user may comment at all (the toolbar button and shortcut follow it). */
  canComment(): boolean
  /** The user asked to comment on the selection (toolbar button or the shortcut). */
  startComment(view: EditorView): void
  /** The user clicked in the text: on a thread's highlight, or elsewhere (null). */
  threadClicked(threadId: string | null): void
  /** Threads moved, attached or detached: after remote and local edits, and when threads change. */
  placesChanged(places: ThreadPlaces): void
}

interface HighlightState {
  threads: readonly HighlightedThread[]
  places: ThreadPlaces
  focused: string | null
  /** The range a comment is being written about, until it is posted or cancelled. */
  draft: { anchor: Pick<Anchor, 'start' | 'end'>; place: AnchorPlace } | null
  /** Places were mapped through a local edit and are checked against the Y.Doc once it has the edit. */
  mapped: boolean
  decorations: DecorationSet
}

interface HighlightMeta {
  threads?: readonly HighlightedThread[]
  focused?: string | null
  draft?: Pick<Anchor, 'start' | 'end'> | null
  /** Places resolved from the Y.Doc after a local edit. */
  checked?: { places: ThreadPlaces; draft: AnchorPlace | null }
}

const key = new PluginKey<HighlightState>('commentHighlights')
const EMPTY: ThreadPlaces = new Map()

function resolveAll(state: EditorState, threads: readonly HighlightedThread[]): Map<string, AnchorPlace> {
  return new Map(threads.map((thread) => [thread.id, placeOf(state, thread.anchor)]))
}

// Between a local edit and its arrival in the Y.Doc, ranges follow ProseMirror's
// mapping with the anchors' own bias: text typed at either edge stays outside.
function mapPlace(place: AnchorPlace, mapping: Mapping): AnchorPlace {
  if (place.kind !== 'attached') return place
  const from = mapping.map(place.from, 1)
  const to = mapping.map(place.to, -1)
  return from < to ? { kind: 'attached', from, to } : { kind: 'detached' }
}

function samePlace(a: AnchorPlace | null | undefined, b: AnchorPlace | null | undefined): boolean {
  if (!a || !b) return a === b
  if (a.kind !== 'attached' || b.kind !== 'attached') return a.kind === b.kind
  return a.from === b.from && a.to === b.to
}

function samePlaces(a: ThreadPlaces, b: ThreadPlaces): boolean {
  if (a.size !== b.size) return false
  for (const [id, place] of a) if (!samePlace(place, b.get(id))) return false
  return true
}

function decorationsOf(doc: PMNode, state: Omit<HighlightState, 'decorations'>): DecorationSet {
  const decorations: Decoration[] = []
  for (const thread of state.threads) {
    const place = state.places.get(thread.id)
    if (!place || place.kind !== 'attached' || !(thread.visible || thread.id === state.focused)) continue
    const focused = thread.id === state.focused
    decorations.push(
      Decoration.inline(
        place.from,
        place.to,
        { class: focused ? 'comment-highlight comment-highlight--focused' : 'comment-highlight', 'data-thread-id': thread.id },
        { threadId: thread.id },
      ),
    )
  }
  const draft = state.draft?.place
  if (draft?.kind === 'attached') {
    decorations.push(Decoration.inline(draft.from, draft.to, { class: 'comment-highlight comment-highlight--draft' }))
  }
  return DecorationSet.create(doc, decorations)
}

/** The threads whose highlighted range contains `pos`, shortest (innermost) first. */
function threadsAt(state: HighlightState, pos: number): string[] {
  const hits: { id: string; length: number }[] = []
  for (const thread of state.threads) {
    const place = state.places.get(thread.id)
    if (thread.visible && place?.kind === 'attached' && place.from <= pos && pos <= place.to) {
      hits.push({ id: thread.id, length: place.to - place.from })
    }
  }
  return hits.sort((a, b) => a.length - b.length).map((hit) => hit.id)
}

/**
 * Highlights the text of every comment thread, recomputed from the threads'
 * Yjs anchors whenever a remote change arrives, and checked against them
 * after each local edit, so highlights follow everyone's typing. Also the
 * comment shortcut (Ctrl/Cmd-Alt-M), which works in read-only text too,
 * since reviewers comment without editing. Place it after `ySyncPlugin`.
 */
export function commentHighlights(hooks: CommentHooks): Plugin<HighlightState> {
  const shortcut = keydownHandler({
    [Shortcuts.comment]: (_state, _dispatch, view) => {
      if (!view || !hooks.canComment()) return false
      hooks.startComment(view)
      return true
    },
  })
  return new Plugin<HighlightState>({
    key,
    state: {
      init: (_config, state) => ({
        threads: [],
        places: EMPTY,
        focused: null,
        draft: null,
        mapped: false,
        decorations: DecorationSet.create(state.doc, []),
      }),
      apply(tr, previous, _oldState, state) {
        const meta = tr.getMeta(key) as HighlightMeta | undefined
        const remote = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true
        if (!meta && !remote && !tr.docChanged) return previous
        const next = { ...previous }
        if (meta?.threads) next.threads = meta.threads
        if (meta && 'focused' in meta) next.focused = meta.focused ?? null
        if (meta && 'draft' in meta) next.draft = meta.draft ? { anchor: meta.draft, place: { kind: 'pending' } } : null
        if (meta?.threads || (meta && 'draft' in meta) || remote) {
          // The Y.Doc and the editor agree here: a remote change was just rendered, or nothing is in flight.
          next.places = resolveAll(state, next.threads)
          if (next.draft) next.draft = { ...next.draft, place: placeOf(state, next.draft.anchor) }
          next.mapped = false
        } else if (meta?.checked) {
          next.places = meta.checked.places
          if (next.draft && meta.checked.draft) next.draft = { ...next.draft, place: meta.checked.draft }
          next.mapped = false
        } else if (tr.docChanged) {
          if (previous.places.size > 0) next.places = new Map([...previous.places].map(([id, place]) => [id, mapPlace(place, tr.mapping)]))
          if (next.draft) next.draft = { ...next.draft, place: mapPlace(next.draft.place, tr.mapping) }
          next.mapped = next.places.size > 0 || next.draft !== null
        }
        next.decorations = decorationsOf(state.doc, next)
        return next
      },
    },
    props: {
      decorations: (state) => key.getState(state)?.decorations,
      handleClick(view, pos, event) {
        const state = key.getState(view.state)!
        const threadId = threadsAt(state, pos)[0] ?? null
        if (event.shiftKey || (threadId === null && state.focused === null)) return false
        // The caret and the emphasis change in one transaction: a separate one
        // dispatched now would put the previous selection back into the page
        // before ProseMirror has read the one the click made.
        view.dispatch(
          view.state.tr.setSelection(Selection.near(view.state.doc.resolve(pos))).setMeta(key, { focused: threadId } satisfies HighlightMeta),
        )
        hooks.threadClicked(threadId)
        return true
      },
      handleDOMEvents: {
        // A keymap plugin only runs in editable views; this works in read-only text too.
        keydown(view, event) {
          if (!shortcut(view, event)) return false
          event.preventDefault()
          return true
        },
      },
    },
    view(view) {
      let reported = key.getState(view.state)!.places
      let checkedDoc: PMNode | null = null
      // After a local edit the sync plugin's view update has written it to the
      // Y.Doc; the anchors are resolved once that update cycle is over.
      const check = (): void => {
        if (view.isDestroyed) return
        const state = key.getState(view.state)!
        if (!state.mapped) return
        const places = resolveAll(view.state, state.threads)
        const draft = state.draft ? placeOf(view.state, state.draft.anchor) : null
        if (samePlaces(places, state.places) && samePlace(draft, state.draft?.place ?? null)) return
        view.dispatch(view.state.tr.setMeta(key, { checked: { places, draft } } satisfies HighlightMeta))
      }
      return {
        update(updated) {
          const state = key.getState(updated.state)!
          if (state.mapped && checkedDoc !== updated.state.doc) {
            checkedDoc = updated.state.doc
            queueMicrotask(check)
          }
          if (state.places !== reported) {
            reported = state.places
            hooks.placesChanged(reported)
          }
        },
      }
    },
  })
}

/** Shows `threads`' ranges (after loading, and when a thread is added, resolved or reopened). */
export function setHighlightedThreads(view: EditorView, threads: readonly HighlightedThread[]): void {
  view.dispatch(view.state.tr.setMeta(key, { threads } satisfies HighlightMeta))
}

/** Marks the range being commented on while the comment is written, or clears it. */
export function setCommentDraft(view: EditorView, anchor: Pick<Anchor, 'start' | 'end'> | null): void {
  view.dispatch(view.state.tr.setMeta(key, { draft: anchor } satisfies HighlightMeta))
}

/**
 * Emphasises one thread's range; with `reveal`, also selects it and scrolls
 * it into view (the user chose the thread in the panel).
 */
export function focusThreadRange(view: EditorView, threadId: string | null, reveal: boolean): void {
  const state = key.getState(view.state)
  if (!state) return
  const tr = view.state.tr.setMeta(key, { focused: threadId } satisfies HighlightMeta)
  const place = threadId ? state.places.get(threadId) : undefined
  if (reveal && place?.kind === 'attached') tr.setSelection(TextSelection.create(tr.doc, place.from, place.to)).scrollIntoView()
  view.dispatch(tr)
}

/** Where each thread lies now, as last computed. */
export function threadPlaces(state: EditorState): ThreadPlaces {
  return key.getState(state)?.places ?? EMPTY
}
