/** `GET /api/directory/search?q=`: type-ahead over the caller's tenant directory. */
import { z } from "zod";

export const directorySearchQuery = z.object({
  q: z.string().trim().min(1, "type at least one character").max(100),
  limit: z.coerce.number().int().min(1).max(25).default(10),
});
export type DirectorySearchQuery = z.infer<typeof directorySearchQuery>;

export const directoryPerson = z.object({
  userId: z.string(),
  upn: z.string(),
  displayName: z.string(),
  mail: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
});
export type DirectoryPerson = z.infer<typeof directoryPerson>;

export const directorySearchResponse = z.object({ people: z.array(directoryPerson) });
export type DirectorySearchResponse = z.infer<typeof directorySearchResponse>;

/** `GET /api/me/seats`: the seats the caller holds. */
export const mySeatsResponse = z.object({
  seats: z.array(
    z.object({
      kind: z.enum(["calling", "sync"]),
      /** active | pending | failed | suspended */
      state: z.string(),
      phoneNumber: z.string().nullable(),
    }),
  ),
});
export type MySeatsResponse = z.infer<typeof mySeatsResponse>;

/** `GET /api/directory/callers`: colleagues holding an active calling seat, with a Teams call deep link. */
export const callersResponse = z.object({
  people: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      upn: z.string(),
      phoneNumber: z.string().nullable(),
      callLink: z.string(),
    }),
  ),
});
export type CallersResponse = z.infer<typeof callersResponse>;
