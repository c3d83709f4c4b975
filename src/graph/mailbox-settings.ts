/**
 * A user's mailbox settings (`/users/{id}/mailboxSettings`, app-only, MailboxSettings.Read): the mailbox
 * time zone and working hours as IANA zones (Windows names resolved with the user's country), and the
 * mailbox language.
 */
import { z } from "zod";
import { DomainError } from "../core/errors.ts";
import { graphWorkingHours, ianaZone } from "./calendars.ts";
import type { GraphGateway } from "./gateway.ts";

const graphMailboxSettings = z.object({
  timeZone: z.string().nullish(),
  language: z.object({ locale: z.string().nullish() }).nullish(),
  workingHours: graphWorkingHours.nullish(),
});

export interface MailboxSettings {
  /** IANA zone of the mailbox. */
  readonly timeZone: string;
  /** The zone as the mailbox names it (Windows or IANA). */
  readonly mailboxTimeZone: string | null;
  readonly workingHours: {
    readonly daysOfWeek: string[];
    /** HH:MM */
    readonly startTime: string;
    readonly endTime: string;
    /** IANA zone of the working hours. */
    readonly timeZone: string;
  } | null;
  readonly locale: string | null;
}

const hhmm = (t: string | null | undefined) => /^(\d{2}:\d{2})/.exec(t ?? "")?.[1] ?? null;

/** `country`: the user's usage location, which picks the IANA zone of an ambiguous Windows zone name. */
export async function readMailboxSettings(
  graph: GraphGateway,
  tenantId: string,
  userId: string,
  country: string | null,
): Promise<MailboxSettings> {
  const raw = await graph
    .forTenant(tenantId)
    .get<unknown>(
      `/users/${encodeURIComponent(userId)}/mailboxSettings?$select=timeZone,language,workingHours`,
    );
  const s = graphMailboxSettings.parse(raw);
  const timeZone = ianaZone(s.timeZone, country);
  if (!timeZone) {
    throw new DomainError(
      "GRAPH_ERROR",
      `The mailbox names a time zone Quorum does not know: "${s.timeZone}".`,
    );
  }
  const w = s.workingHours;
  const start = hhmm(w?.startTime);
  const end = hhmm(w?.endTime);
  const workingZone = ianaZone(w?.timeZone?.name, country) ?? timeZone;
  return {
    timeZone,
    mailboxTimeZone: s.timeZone ?? null,
    workingHours:
      w && start && end && w.daysOfWeek?.length
        ? { daysOfWeek: w.daysOfWeek, startTime: start, endTime: end, timeZone: workingZone }
        : null,
    locale: s.language?.locale || null,
  };
}
