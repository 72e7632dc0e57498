import type { PersonView } from '../../shared/inputs.js'

/**
 * The people a comment can mention, gathered from what this client sees:
 * who is present in the document, who wrote in or decided on its threads,
 * who added its inputs, and the user.
 */
export class KnownPeople {
  private readonly people = new Map<string, PersonView>()

  /** Adds or refreshes people; anyone without a name (a removed user) is left out. */
  add(people: Iterable<PersonView | null | undefined>): void {
    for (const person of people) {
      if (!person || person.name.trim() === '' || person.organisation === '') continue
      this.people.set(person.id, { id: person.id, name: person.name, organisation: person.organisation })
    }
  }

  /** Everyone known, by name. */
  list(): PersonView[] {
    return [...this.people.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** The names a comment body may mention. */
  names(): string[] {
    return [...this.people.values()].map((person) => person.name)
  }
}
