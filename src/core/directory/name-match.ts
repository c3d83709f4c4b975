/**
 * Finding a person by what someone typed ("erik", "Erik Lindqvist", "lind"): how well a display name
 * answers the text, and which person is meant. An exact match goes first: "erik" is Erik Lindqvist before
 * Chloé Eriksson, and is taken without asking when he is the only Erik.
 */

/** How a display name answers the text, best first. */
export const nameMatchRanks = [
  /** The whole display name. */
  "full",
  /** The first name, whole. */
  "first",
  /** Another part of the name, whole (a last name). */
  "part",
  /** The start of the display name. */
  "prefix",
  /** The start of another part of the name. */
  "partPrefix",
] as const;
export type NameMatchRank = (typeof nameMatchRanks)[number];

const fold = (s: string) => s.normalize("NFC").trim().toLocaleLowerCase();
const partsOf = (name: string) =>
  fold(name)
    .split(/[\s,]+/)
    .filter(Boolean);

/** How `displayName` answers `query`, or undefined when it does not. */
export function nameMatchRank(query: string, displayName: string): NameMatchRank | undefined {
  const q = fold(query);
  if (q === "") return undefined;
  const name = fold(displayName);
  if (name === q) return "full";
  const parts = partsOf(displayName);
  if (parts[0] === q) return "first";
  if (parts.includes(q)) return "part";
  if (name.startsWith(q)) return "prefix";
  if (parts.some((p) => p.startsWith(q))) return "partPrefix";
  return undefined;
}

const rankIndex = (rank: NameMatchRank) => nameMatchRanks.indexOf(rank);

/**
 * The people whose name answers `query`, best match first (then by name, as given otherwise). A query
 * that is a whole name (the full name, else the first name) of exactly one person answers only that
 * person; several people with that name are all offered, first.
 */
export function pickByName<P extends { readonly displayName: string }>(
  query: string,
  people: readonly P[],
): P[] {
  const ranked = people
    .map((person, i) => ({ person, i, rank: nameMatchRank(query, person.displayName) }))
    .filter((r): r is { person: P; i: number; rank: NameMatchRank } => r.rank !== undefined)
    .sort((a, b) => rankIndex(a.rank) - rankIndex(b.rank) || a.i - b.i);
  for (const exact of ["full", "first"] as const) {
    const hits = ranked.filter((r) => r.rank === exact);
    if (hits.length === 1) return [hits[0]!.person];
    if (hits.length > 1) break;
  }
  return ranked.map((r) => r.person);
}

/** People ordered by how well their name answers `query` (for a type-ahead: nobody is dropped). */
export function rankByName<P extends { readonly displayName: string }>(
  query: string,
  people: readonly P[],
): P[] {
  const rankOf = (p: P) => {
    const rank = nameMatchRank(query, p.displayName);
    return rank === undefined ? nameMatchRanks.length : rankIndex(rank);
  };
  return people
    .map((person, i) => ({ person, i, rank: rankOf(person) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((r) => r.person);
}
