/**
 * Recipients outside the organization, for "Propose times". Quorum reads calendars inside the user's
 * tenant only: the service answers an address it cannot read with an error on its grid row (Graph does
 * not know the mailbox). A recipient at another domain than the user's whose row has such an error is
 * outside: their availability is unknown at every time, so it must not decide which times are proposed.
 * A recipient at another domain whose calendar is readable (another domain of the same tenant) counts
 * like anyone else; a colleague at the user's own domain whose calendar fails stays uncertain.
 */
import type { Person } from "../office.ts";
import type { Availability } from "./quorum.ts";

/** The domain of an address, lower case. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/** Whether an address is at another domain than `ownDomain` (a candidate for being outside). */
export function atOtherDomain(person: Person, ownDomain: string): boolean {
  return domainOf(person.email) !== ownDomain.toLowerCase();
}

/** The recipients at another domain whose calendar the answer could not read, in the given order. */
export function unreadableOutside(
  availability: Availability,
  recipients: readonly Person[],
  ownDomain: string,
): Person[] {
  const failed = new Set(
    availability.people
      .filter((row) => row.role !== "room" && row.error !== null)
      .map((row) => row.email.toLowerCase()),
  );
  return recipients.filter((p) => atOtherDomain(p, ownDomain) && failed.has(p.email.toLowerCase()));
}
