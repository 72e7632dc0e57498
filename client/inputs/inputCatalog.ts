import type { InputView } from '../../shared/inputs.js'
import { fetchInputs } from './inputApi.js'

/**
 * Every conference input of one document, loaded once and kept current from
 * the document's event stream, so chips and lists can name an input by id
 * without asking the server again. A merged duplicate's id leads to the
 * input it was merged into.
 */
export class InputCatalog {
  private readonly inputs = new Map<string, InputView>()
  private readonly mergedInto = new Map<string, string>()
  private readonly listeners = new Set<() => void>()

  constructor(readonly documentId: string) {}

  /** Fetches the document's inputs (again, e.g. after the event stream was interrupted). */
  async load(): Promise<void> {
    const inputs = await fetchInputs({ documentId: this.documentId })
    this.inputs.clear()
    for (const input of inputs) this.inputs.set(input.id, input)
    this.changed()
  }

  /** The input with `id`, following merges; undefined if unknown. */
  get(id: string): InputView | undefined {
    return this.inputs.get(this.currentId(id))
  }

  // `id`, or the id of the input a merged duplicate now lives on as.
  private currentId(id: string): string {
    let current = id
    for (let hops = 0; hops < 20 && this.mergedInto.has(current); hops++) current = this.mergedInto.get(current)!
    return current
  }

  /** Every input, in the server's order. */
  all(): InputView[] {
    return [...this.inputs.values()]
  }

  /** Takes in an added or changed input from the event stream. */
  applyInput(input: InputView): void {
    if (input.documentId !== this.documentId) return
    this.inputs.set(input.id, input)
    this.changed()
  }

  /** Takes in a merge from the event stream: the duplicate is gone. */
  applyMerge(inputId: string, into: string): void {
    this.mergedInto.set(inputId, into)
    if (this.inputs.delete(inputId)) this.changed()
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    for (const listener of this.listeners) listener()
  }
}
