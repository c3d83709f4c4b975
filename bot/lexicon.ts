/**
 * The words of the bot's command language in each supported language. English words are understood
 * whatever the user's language; the user's own language comes first when suggesting a command.
 */

export const languages = ["en", "pt", "fr", "sv"] as const;
export type Language = (typeof languages)[number];

/** Maps a Teams/BCP 47 locale ("pt-BR", "fr-FR", "sv") to a bot language; unknown → English. */
export function languageOf(locale: string | undefined): Language {
  const base = (locale ?? "en").toLowerCase().split(/[-_]/)[0];
  return (languages as readonly string[]).includes(base ?? "") ? (base as Language) : "en";
}

/** BCP 47 tag used for formatting dates and numbers for a language. */
export const formattingLocale: Record<Language, string> = {
  en: "en-GB",
  pt: "pt-BR",
  fr: "fr-FR",
  sv: "sv-SE",
};

export const commandNames = [
  "help",
  "availability",
  "book",
  "meetings",
  "cancel",
  "seat",
  "sync",
  "seats",
  "requests",
] as const;
export type CommandName = (typeof commandNames)[number];

/** Command words; the first word of each list is the one shown in help and suggestions. */
export const commandWords: Record<Language, Record<CommandName, readonly string[]>> = {
  en: {
    help: ["help", "?"],
    availability: ["availability", "free", "when"],
    book: ["book", "schedule"],
    meetings: ["meetings", "agenda"],
    cancel: ["cancel"],
    seat: ["seat", "me"],
    sync: ["sync"],
    seats: ["seats"],
    requests: ["requests"],
  },
  pt: {
    help: ["ajuda"],
    availability: ["disponibilidade", "livre", "disponível", "disponivel"],
    book: ["agendar", "marcar", "reservar"],
    meetings: ["reuniões", "reunioes", "agenda"],
    cancel: ["cancelar"],
    seat: ["assento", "licença", "licenca"],
    sync: ["sincronizar", "sincronização", "sincronizacao"],
    seats: ["assentos", "licenças", "licencas"],
    requests: ["pedidos", "solicitações", "solicitacoes"],
  },
  fr: {
    help: ["aide"],
    availability: ["disponibilité", "disponibilite", "libre", "dispo"],
    book: ["réserver", "reserver", "planifier"],
    meetings: ["réunions", "reunions", "agenda"],
    cancel: ["annuler"],
    seat: ["siège", "siege", "licence"],
    sync: ["synchro", "synchroniser", "synchronisation"],
    seats: ["sièges", "sieges", "licences"],
    requests: ["demandes"],
  },
  sv: {
    help: ["hjälp", "hjalp"],
    availability: ["tillgänglighet", "ledig", "lediga"],
    book: ["boka"],
    meetings: ["möten", "moten", "kalender"],
    cancel: ["avboka", "avbryt"],
    seat: ["plats", "licens"],
    sync: ["synk", "synka", "synkronisera"],
    seats: ["platser", "licenser"],
    requests: ["förfrågningar", "forfragningar", "ansökningar"],
  },
};

/** Joins a list of people: "ana and erik", "ana e erik", "ana et erik", "ana och erik". */
export const listJoiners: readonly string[] = ["and", "e", "et", "och", "&", "+"];

/** Introduces the attendees of `book`. */
export const withWords: readonly string[] = ["with", "com", "avec", "med"];

/** Introduces the subject of `book`. */
export const aboutWords: readonly string[] = [
  "about",
  "sobre",
  "à propos de",
  "a propos de",
  "sujet",
  "om",
  "re",
];

/** Words that may sit between the people and the time ("ana on friday", "ana na sexta"); dropped. */
export const fillerWords: readonly string[] = [
  "on",
  "at",
  "in",
  "for",
  "this",
  "next",
  "na",
  "no",
  "em",
  "às",
  "as",
  "à",
  "a",
  "de",
  "para",
  "le",
  "la",
  "pour",
  "ce",
  "cet",
  "cette",
  "på",
  "i",
  "kl",
  "för",
  "den",
  "próxima",
  "próximo",
  "proxima",
  "proximo",
  "esta",
  "este",
  "nesta",
  "neste",
  "prochain",
  "prochaine",
  "nästa",
  "kommande",
];

export type DayWord = "today" | "tomorrow" | "dayAfterTomorrow";
export type WeekWord = "thisWeek" | "nextWeek";
export type PartOfDay = "morning" | "afternoon" | "evening";

/** Phrases, most specific first (so "day after tomorrow" wins over "tomorrow"). */
export const dayPhrases: Record<Language, readonly [string, DayWord][]> = {
  en: [
    ["day after tomorrow", "dayAfterTomorrow"],
    ["tomorrow", "tomorrow"],
    ["tmrw", "tomorrow"],
    ["today", "today"],
  ],
  pt: [
    ["depois de amanhã", "dayAfterTomorrow"],
    ["depois de amanha", "dayAfterTomorrow"],
    ["amanhã", "tomorrow"],
    ["amanha", "tomorrow"],
    ["hoje", "today"],
  ],
  fr: [
    ["après-demain", "dayAfterTomorrow"],
    ["apres-demain", "dayAfterTomorrow"],
    ["demain", "tomorrow"],
    ["aujourd'hui", "today"],
    ["aujourd’hui", "today"],
    ["aujourdhui", "today"],
  ],
  sv: [
    ["i övermorgon", "dayAfterTomorrow"],
    ["övermorgon", "dayAfterTomorrow"],
    ["i morgon", "tomorrow"],
    ["imorgon", "tomorrow"],
    ["i dag", "today"],
    ["idag", "today"],
  ],
};

export const weekPhrases: Record<Language, readonly [string, WeekWord][]> = {
  en: [
    ["next week", "nextWeek"],
    ["this week", "thisWeek"],
    ["week", "thisWeek"],
  ],
  pt: [
    ["próxima semana", "nextWeek"],
    ["proxima semana", "nextWeek"],
    ["semana que vem", "nextWeek"],
    ["esta semana", "thisWeek"],
    ["semana", "thisWeek"],
  ],
  fr: [
    ["semaine prochaine", "nextWeek"],
    ["cette semaine", "thisWeek"],
    ["semaine", "thisWeek"],
  ],
  sv: [
    ["nästa vecka", "nextWeek"],
    ["denna vecka", "thisWeek"],
    ["den här veckan", "thisWeek"],
    ["veckan", "thisWeek"],
    ["vecka", "thisWeek"],
  ],
};

export const partOfDayPhrases: Record<Language, readonly [string, PartOfDay][]> = {
  en: [
    ["in the morning", "morning"],
    ["in the afternoon", "afternoon"],
    ["in the evening", "evening"],
    ["morning", "morning"],
    ["afternoon", "afternoon"],
    ["evening", "evening"],
  ],
  pt: [
    ["de manhã", "morning"],
    ["de manha", "morning"],
    ["pela manhã", "morning"],
    ["à tarde", "afternoon"],
    ["a tarde", "afternoon"],
    ["de tarde", "afternoon"],
    ["à noite", "evening"],
    ["de noite", "evening"],
    ["manhã", "morning"],
    ["tarde", "afternoon"],
    ["noite", "evening"],
  ],
  fr: [
    ["dans l'après-midi", "afternoon"],
    ["après-midi", "afternoon"],
    ["apres-midi", "afternoon"],
    ["le matin", "morning"],
    ["matin", "morning"],
    ["le soir", "evening"],
    ["soir", "evening"],
  ],
  sv: [
    ["på eftermiddagen", "afternoon"],
    ["på förmiddagen", "morning"],
    ["på kvällen", "evening"],
    ["eftermiddag", "afternoon"],
    ["eftermiddagen", "afternoon"],
    ["förmiddag", "morning"],
    ["förmiddagen", "morning"],
    ["kväll", "evening"],
    ["kvällen", "evening"],
  ],
};

/** Local hours of each part of the day: [start, end). */
export const partOfDayHours: Record<PartOfDay, readonly [number, number]> = {
  morning: [8, 12],
  afternoon: [13, 17],
  evening: [17, 20],
};

/** Working hours used when only a day is given. */
export const workingHours: readonly [number, number] = [8, 18];

export const meetingsRangeWords: Record<
  Language,
  Record<"today" | "tomorrow" | "week", readonly string[]>
> = {
  en: { today: ["today"], tomorrow: ["tomorrow"], week: ["week", "this week"] },
  pt: { today: ["hoje"], tomorrow: ["amanhã", "amanha"], week: ["semana", "esta semana"] },
  fr: {
    today: ["aujourd'hui", "aujourd’hui", "aujourdhui"],
    tomorrow: ["demain"],
    week: ["semaine", "cette semaine"],
  },
  sv: {
    today: ["idag", "i dag"],
    tomorrow: ["imorgon", "i morgon"],
    week: ["vecka", "veckan", "denna vecka"],
  },
};

export const onWords: readonly string[] = [
  "on",
  "ligar",
  "ativar",
  "activer",
  "oui",
  "på",
  "sim",
  "yes",
  "ja",
];
export const offWords: readonly string[] = [
  "off",
  "desligar",
  "desativar",
  "désactiver",
  "desactiver",
  "non",
  "av",
  "não",
  "nao",
  "no",
  "nej",
];

/** Duration units → minutes per unit. */
export const durationUnits: Record<string, number> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  minuto: 1,
  minutos: 1,
  minut: 1,
  minuter: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  hora: 60,
  horas: 60,
  heure: 60,
  heures: 60,
  t: 60,
  tim: 60,
  timme: 60,
  timmar: 60,
};
