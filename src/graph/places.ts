/**
 * The tenant's meeting rooms from Graph places (`/places/microsoft.graph.room`, app-only, Place.Read.All):
 * the list every page read (rooms without a mailbox left out, sorted by name), and the Rooms port on it.
 * The port reuses the list for a few minutes per tenant; a failed read is not remembered, and never turns
 * an address into a room.
 */
import { z } from "zod";
import type { Rooms } from "../core/booking/ports.ts";
import type { Clock } from "../core/clock.ts";
import type { GraphGateway } from "./gateway.ts";

const graphRoom = z.object({
  emailAddress: z.string().nullish(),
  displayName: z.string().nullish(),
  capacity: z.number().int().nullish(),
  building: z.string().nullish(),
  floorNumber: z.number().int().nullish(),
  address: z.object({ city: z.string().nullish() }).nullish(),
  isWheelChairAccessible: z.boolean().nullish(),
});

export interface GraphRoomPlace {
  readonly email: string;
  readonly displayName: string;
  /** null when Graph gives none (or zero). */
  readonly capacity: number | null;
  readonly building: string | null;
  readonly floorNumber: number | null;
  readonly city: string | null;
  readonly isWheelChairAccessible: boolean | null;
}

export async function listRoomPlaces(graph: GraphGateway, tenantId: string): Promise<GraphRoomPlace[]> {
  const rooms: GraphRoomPlace[] = [];
  for await (const page of graph.pages<unknown>(tenantId, "/places/microsoft.graph.room?$top=100")) {
    for (const item of page.value) {
      const r = graphRoom.parse(item);
      if (!r.emailAddress) continue;
      rooms.push({
        email: r.emailAddress,
        displayName: r.displayName || r.emailAddress,
        capacity: r.capacity && r.capacity > 0 ? r.capacity : null,
        building: r.building || null,
        floorNumber: r.floorNumber ?? null,
        city: r.address?.city || null,
        isWheelChairAccessible: r.isWheelChairAccessible ?? null,
      });
    }
  }
  return rooms.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.email.localeCompare(b.email));
}

export function createGraphRooms(graph: GraphGateway, clock: Clock, cacheSeconds = 300): Rooms {
  const cache = new Map<string, { rooms: Promise<ReadonlySet<string>>; until: number }>();
  const load = async (tenantId: string): Promise<ReadonlySet<string>> =>
    new Set((await listRoomPlaces(graph, tenantId)).map((r) => r.email.trim().toLowerCase()));
  const roomsOf = (tenantId: string) => {
    const hit = cache.get(tenantId);
    if (hit && hit.until > clock.now()) return hit.rooms;
    const rooms = load(tenantId);
    cache.set(tenantId, { rooms, until: clock.now() + cacheSeconds * 1000 });
    rooms.catch(() => {
      if (cache.get(tenantId)?.rooms === rooms) cache.delete(tenantId);
    });
    return rooms;
  };
  return {
    async knownRooms(tenantId, addresses) {
      const asked = addresses.map((a) => a.trim().toLowerCase());
      let rooms = await roomsOf(tenantId);
      // A room added since the list was read: read it again once before refusing.
      if (asked.some((a) => !rooms.has(a))) {
        cache.delete(tenantId);
        rooms = await roomsOf(tenantId);
      }
      return new Set(asked.filter((a) => rooms.has(a)));
    },
  };
}
