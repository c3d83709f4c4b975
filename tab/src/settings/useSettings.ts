/**
 * State of the user's settings: pending invitations and the answer to them, the calendar sync switch,
 * the seats held (or the request to join), the zone and working hours of the mailbox, and the colleagues
 * to call. Each card of SettingsView reads one of these hooks.
 */
import { useState } from "react";
import type { Invitation } from "../../../src/api-contract/seats.ts";
import { formatTimeOfDay, zoneLabel } from "../../../src/ui-shared/format.ts";
import { useAction } from "../../../src/ui-shared/useAction.ts";
import { type AsyncResult, useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";

export type InvitationsLoad = AsyncResult<{ invitations: Invitation[] }>;

export function useSettings() {
  const { api } = useTabEnvironment();
  const { reload: reloadMe } = useMe();
  // Answering an invitation changes seats and sync: the sync card reads again, and so does `/api/me`, which
  // carries the caller's seats.
  const [version, setVersion] = useState(0);
  const invitations = useAsync((signal) => api.invitations.mine(signal), [api], {
    keepDataWhileReloading: true,
  });
  return {
    invitations,
    invitationPending:
      invitations.status === "ready" && invitations.data.invitations.some((i) => i.state === "pending"),
    /** Changes when an invitation was answered: the sync card starts over. */
    version,
    answered() {
      invitations.reload();
      reloadMe();
      setVersion((v) => v + 1);
    },
  };
}

export type Answer = "accepted" | "declined";

export function useInvitationAnswer(invitations: InvitationsLoad, onAnswered: () => void) {
  const { api } = useTabEnvironment();
  const [answered, setAnswered] = useState<Answer | null>(null);
  const answering = useAction();
  const pending =
    invitations.status === "ready" ? invitations.data.invitations.filter((i) => i.state === "pending") : [];
  return {
    pending,
    answered,
    busy: answering.busy,
    error: answering.error,
    /** Shown only while an invitation waits for an answer (or right after answering it). */
    shown: pending.length > 0 || answered !== null || Boolean(answering.error),
    answer(invitationId: string, choice: Answer) {
      const call = choice === "accepted" ? api.invitations.accept : api.invitations.decline;
      void answering.run(
        () => call(invitationId),
        () => {
          setAnswered(choice);
          onAnswered();
        },
      );
    },
  };
}

export function useSyncSetting() {
  const { api } = useTabEnvironment();
  const sync = useAsync((signal) => api.mySync.get(signal), [api], { keepDataWhileReloading: true });
  const saving = useAction();
  return {
    sync,
    saving: saving.busy,
    error: saving.error,
    set: (enabled: boolean) => void saving.run(() => api.mySync.set(enabled), sync.reload),
  };
}

const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** "Mon–Fri" for a run of three days or more, else the days listed the locale's way. */
export function workingDaysText(daysOfWeek: readonly string[], locale: string): string {
  const dayName = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  const indexes = daysOfWeek
    .map((d) => weekdays.indexOf(d.toLowerCase()))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b);
  // 2026-11-01 is a Sunday.
  const name = (i: number) => dayName.format(Date.UTC(2026, 10, 1 + i));
  const first = indexes[0];
  const last = indexes[indexes.length - 1];
  return first !== undefined &&
    last !== undefined &&
    indexes.length >= 3 &&
    last - first === indexes.length - 1
    ? `${name(first)}–${name(last)}`
    : new Intl.ListFormat(locale, { style: "short", type: "conjunction" }).format(indexes.map(name));
}

/** "08:00" as the locale writes a time of day (8:00 AM in en-US). */
const clockText = (hhmm: string, locale: string) => {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return formatTimeOfDay(h * 60 + m, locale);
};

/** The zone every view shows times in (the Outlook mailbox's), and the mailbox's working hours. */
export function useTimeZoneSetting() {
  const { locale, timeZone, mailboxStatus, mailbox } = useTabEnvironment();
  const hours = mailbox?.workingHours;
  return {
    mailboxStatus,
    zone: zoneLabel(timeZone, locale, Date.now()),
    workingHours: hours
      ? {
          days: workingDaysText(hours.daysOfWeek ?? [], locale),
          start: clockText(hours.startTime, locale),
          end: clockText(hours.endTime, locale),
        }
      : undefined,
  };
}

/**
 * The seats held, or how to get one: accept a pending invitation, wait for a request already sent (with
 * its date, so a reload never offers to ask twice), or request to join.
 */
export function useSeatsSetting(invitationPending: boolean) {
  const { api } = useTabEnvironment();
  const { me } = useMe();
  // The seats come with `/api/me`, which the tab has already read.
  const seats = (["calling", "sync"] as const).flatMap((kind) => {
    const seat = me.seats[kind];
    return seat ? [{ kind, ...seat }] : [];
  });
  // Admins see every pending request here: only the caller's own counts.
  const requests = useAsync((signal) => api.joinRequests.list("pending", signal), [api]);
  const myRequest =
    requests.status === "ready"
      ? requests.data.requests.find((r) => r.userId === me.actor.userId && r.state === "pending")
      : undefined;
  const [sent, setSent] = useState(false);
  const requesting = useAction();
  return {
    seats,
    myRequest,
    sent,
    sending: requesting.busy,
    error: requesting.error,
    mayRequest: !sent && !myRequest && !invitationPending && requests.status !== "loading",
    request: () =>
      void requesting.run(
        () => api.joinRequests.create(["sync"]),
        () => setSent(true),
      ),
  };
}

export function useCallers() {
  const { api, openLink } = useTabEnvironment();
  return { callers: useAsync((signal) => api.directory.callers(signal), [api]), openLink };
}
