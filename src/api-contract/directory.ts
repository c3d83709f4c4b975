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
