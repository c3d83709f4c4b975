/** State of the members table: a debounced server-side search, role and seat filters, and offset paging. */
import { useEffect, useState } from "react";
import type { RoleName } from "../../../src/api-contract/directory.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useAsync } from "../shared/useAsync.ts";

export type RoleFilter = RoleName | "all";
export type SeatFilter = "calling" | "sync" | "none" | "any";

export const pageSize = 25;
const searchDelayMs = 300;

export function useMembers() {
  const { api } = useTabEnvironment();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [role, setRole] = useState<RoleFilter>("all");
  const [seat, setSeat] = useState<SeatFilter>("any");
  const [offset, setOffset] = useState(0);
  // Only a changed search goes back to the first page (paging right after the table appears must stick).
  useEffect(() => {
    const next = text.trim();
    if (next === q) return;
    const timer = setTimeout(() => {
      setQ(next);
      setOffset(0);
    }, searchDelayMs);
    return () => clearTimeout(timer);
  }, [text, q]);
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
    setRole(next: RoleFilter) {
      setRole(next);
      setOffset(0);
    },
    seat,
    setSeat(next: SeatFilter) {
      setSeat(next);
      setOffset(0);
    },
    offset,
    hasPrevious: offset > 0,
    hasNext: offset + pageSize < total,
    previous: () => setOffset((o) => Math.max(0, o - pageSize)),
    next: () => setOffset((o) => o + pageSize),
  };
}
