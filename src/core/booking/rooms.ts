/** Rooms are what the directory lists as rooms: an address given as a room is checked before it is used. */
import { DomainError } from "../errors.ts";
import type { Rooms } from "./ports.ts";

/**
 * Refuses (VALIDATION_FAILED naming `field`) addresses that are not rooms of the tenant, so a person's
 * calendar is never booked as if it were a room.
 */
export async function assertKnownRooms(
  rooms: Rooms,
  tenantId: string,
  field: string,
  addresses: readonly (string | null | undefined)[],
): Promise<void> {
  const asked = [...new Set(addresses.flatMap((a) => (a?.trim() ? [a.trim().toLowerCase()] : [])))];
  if (asked.length === 0) return;
  const known = await rooms.knownRooms(tenantId, asked);
  const notRooms = asked.filter((a) => !known.has(a));
  if (notRooms.length === 0) return;
  const message = `${notRooms.join(", ")} ${notRooms.length === 1 ? "is not a meeting room" : "are not meeting rooms"} of the organization; pick a room from the room list or invite the address as an attendee`;
  throw new DomainError("VALIDATION_FAILED", `${field}: ${message}`, {
    details: { reason: "NOT_A_ROOM", field, addresses: notRooms.join(", "), fields: [{ field, message }] },
  });
}
