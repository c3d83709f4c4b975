/** The task pane's words for why no time was found (the service answers a code; the pane words it). */

import type { EmptyReasonBody } from "../../src/api-contract/availability.ts";
import { verdictWords } from "../../src/ui-shared/availability-words.ts";
import { languageFor } from "../../src/ui-shared/language.ts";
import { strings } from "./strings.ts";

export function emptyText(empty: EmptyReasonBody | null, locale: string): string {
  if (!empty) return strings.noSuggestions;
  switch (empty.code) {
    case "NO_SLOT_IN_WINDOW":
      return strings.emptyWindow;
    case "NO_COMMON_TIME":
      return strings.emptyNoCommon;
    case "NO_ROOM_FREE":
      return strings.emptyNoRoom;
    case "ATTENDEES_UNAVAILABLE": {
      const list = new Intl.ListFormat(locale, { style: "long", type: "conjunction" });
      const words = verdictWords[languageFor(locale)];
      const byCode = new Map<keyof typeof words, string[]>();
      for (const a of empty.attendees)
        byCode.set(a.reason.code, [...(byCode.get(a.reason.code) ?? []), a.id]);
      return [...byCode]
        .map(([code, ids]) => strings.unavailableAll(list.format(ids), words[code]))
        .join(" ");
    }
  }
}
