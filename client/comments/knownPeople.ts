import type { PersonView } from '../../shared/inputs.js'

/**
 * The people a comment can mention: everyone the server lists, and,
 * should that list not arrive (offline), who this client has seen — present
 * in the document, writing in its threads, adding its inputs.
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
