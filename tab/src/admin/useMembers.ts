/** State of the members table: a debounced server-side search, role and seat filters, and offset paging. */
import { useState } from "react";
import type { RoleName } from "../../../src/api-contract/directory.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useDebounced } from "../shared/useDebounced.ts";

export type RoleFilter = RoleName | "all";
export type SeatFilter = "calling" | "sync" | "none" | "any";

export const pageSize = 25;
const searchDelayMs = 300;

export function useMembers() {
  const { api } = useTabEnvironment();
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), searchDelayMs);
  const [role, setRole] = useState<RoleFilter>("all");
  const [seat, setSeat] = useState<SeatFilter>("any");
  // The page belongs to one search and filter: any change to them goes back to the first page.
  const filter = `${q}\n${role}\n${seat}`;
  const [page, setPage] = useState({ filter, offset: 0 });
  const offset = page.filter === filter ? page.offset : 0;
  const list = useAsync(
    (signal) =>
      api.members.list(
        {
          ...(q ? { q } : {}),
          ...(role === "all" ? {} : { role }),
          ...(seat === "any" ? {} : { seat }),
          offset,
          limit: pageSize,
        },
        signal,
      ),
    [api, q, role, seat, offset],
    { keepDataWhileReloading: true },
  );
  const total = list.status === "ready" ? list.data.total : 0;
  return {
    list,
    text,
    setText,
    role,
    setRole,
    seat,
    setSeat,
    offset,
    hasPrevious: offset > 0,
    hasNext: offset + pageSize < total,
    previous: () => setPage({ filter, offset: Math.max(0, offset - pageSize) }),
    next: () => setPage({ filter, offset: offset + pageSize }),
  };
}
