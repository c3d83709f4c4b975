/**
 * The words for the service's per-attendee availability codes (why someone is not plainly free at a
 * time), in the four UI languages. One table for the Teams tab and the Outlook add-in; each adds the
 * hours to the outside-hours ones its own way.
 */
import type { VerdictReasonBody } from "../api-contract/availability.ts";
import type { UiLanguage } from "./language.ts";

export const verdictWords: Record<UiLanguage, Record<VerdictReasonBody["code"], string>> = {
  en: {
    CALENDAR_UNREADABLE: "calendar could not be read",
    OUT_OF_OFFICE: "out of office",
    BUSY: "busy",
    TENTATIVE: "tentative",
    WORKING_ELSEWHERE: "working elsewhere",
    STATUS_UNKNOWN: "no information",
    OUTSIDE_WORKING_HOURS: "outside working hours",
    OUTSIDE_BUSINESS_HOURS: "outside business hours",
  },
  "pt-BR": {
    CALENDAR_UNREADABLE: "não foi possível ler o calendário",
    OUT_OF_OFFICE: "ausente",
    BUSY: "ocupado",
    TENTATIVE: "provisório",
    WORKING_ELSEWHERE: "trabalhando em outro local",
    STATUS_UNKNOWN: "sem informação",
    OUTSIDE_WORKING_HOURS: "fora do horário de trabalho",
    OUTSIDE_BUSINESS_HOURS: "fora do horário comercial",
  },
  fr: {
    CALENDAR_UNREADABLE: "calendrier illisible",
    OUT_OF_OFFICE: "absent du bureau",
    BUSY: "occupé",
    TENTATIVE: "provisoire",
    WORKING_ELSEWHERE: "travaille ailleurs",
    STATUS_UNKNOWN: "aucune information",
    OUTSIDE_WORKING_HOURS: "en dehors des heures de travail",
    OUTSIDE_BUSINESS_HOURS: "en dehors des heures d’ouverture",
  },
  sv: {
    CALENDAR_UNREADABLE: "kalendern kunde inte läsas",
    OUT_OF_OFFICE: "frånvarande",
    BUSY: "upptagen",
    TENTATIVE: "preliminär",
    WORKING_ELSEWHERE: "arbetar på annan plats",
    STATUS_UNKNOWN: "ingen information",
    OUTSIDE_WORKING_HOURS: "utanför arbetstid",
    OUTSIDE_BUSINESS_HOURS: "utanför kontorstid",
  },
};
