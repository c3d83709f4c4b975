/**
 * The tenant's meeting rooms from Graph places (`GET /places/microsoft.graph.room`, app-only,
 * Place.Read.All): the Rooms port. The list is reused for a few minutes per tenant; a failed read is
 * not remembered, and never turns an address into a room.
 */
import { z } from "zod";
import type { Rooms } from "../core/booking/ports.ts";
import type { Clock } from "../core/clock.ts";
import type { GraphGateway } from "./gateway.ts";

const graphRoom = z.object({ emailAddress: z.string().nullish() });

export function createGraphRooms(graph: GraphGateway, clock: Clock, cacheSeconds = 300): Rooms {
  const cache = new Map<string, { rooms: Promise<ReadonlySet<string>>; until: number }>();
  const load = async (tenantId: string): Promise<ReadonlySet<string>> => {
    const rooms = new Set<string>();
    for await (const page of graph.pages<unknown>(tenantId, "/places/microsoft.graph.room?$top=100")) {
      for (const item of page.value) {
        const email = graphRoom.parse(item).emailAddress?.trim().toLowerCase();
        if (email) rooms.add(email);
      }
    }
    return rooms;
  };
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
