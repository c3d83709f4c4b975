/**
 * The tenant's meeting rooms from Graph places (`/places/microsoft.graph.room`, app-only, Place.Read.All),
 * every page read, rooms without a mailbox left out, sorted by name.
 */
import { z } from "zod";
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
