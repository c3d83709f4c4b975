/**
 * The task pane's words in English, Brazilian Portuguese, French and Swedish. Outlook's display language
 * picks the closest one once Office is ready (`chooseLanguage`); `strings` is a live binding, so every
 * render after that reads the chosen language. Dates and times are formatted with Intl separately.
 */

const en = {
  appName: "Quorum",
  loading: "Loading…",
  noItem: "Open a meeting or an e-mail to use Quorum.",
  officeFailed: "Outlook could not complete the action",
  serviceFailed: "Quorum could not complete the action",
  retry: "Try again",
  dismiss: "Dismiss",
  attendees: "Attendees",
  noAttendees: "Add attendees to the meeting to see when everyone is free.",
  suggestions: "Suggested times",
  noSuggestions: "No time works for everyone in the next days.",
  useThisTime: "Use this time",
  room: "Room",
  roomHint: "A room's e-mail address: suggestions then include it when it is free.",
  timeSet: "The meeting time was updated.",
  allFree: "Everyone free",
  uncertain: (n: number) => `${n} uncertain`,
  availabilityOf: (day: string) => `Availability on ${day}`,
  proposeTimes: "Propose times",
  proposeHint: "Inserts 3–5 free times for you and the recipients at the cursor.",
  proposeNeedsRecipients: "Add recipients to the e-mail first.",
  proposeIntro: "Would one of these times work for you?",
  proposedInserted: (n: number) => `Inserted ${n} proposed times into the e-mail.`,
  notEnoughFree: "Fewer than 3 free times were found in the next days.",
  readTitle: (who: string) => `Meet with ${who}`,
  nextDays: "Availability in the next days",
  bookWithQuorum: "Book with Quorum",
  booked: (when: string) => `Booked: ${when}. Invitations were sent.`,
  you: "You",
  legendFree: "Free",
  legendBusy: "Busy",
  legendTentative: "Tentative",
  legendOof: "Out of office",
  legendElsewhere: "Working elsewhere",
  legendUnknown: "Unknown",
  legendOutside: "Outside hours",
  calendarUnreadable: "Calendar could not be read",
  unavailableAll: (names: string, reason: string) => `${names}: ${reason} for the whole range.`,
  emptyWindow: "No meeting of this length fits in the next days after the minimum notice.",
  emptyNoCommon: "Everyone has free time in the next days, but never at the same time.",
  emptyNoRoom: "Everyone can meet at some times, but the room is not free then.",
};

export type Strings = typeof en;

const ptBR: Strings = {
  appName: "Quorum",
  loading: "Carregando…",
  noItem: "Abra uma reunião ou um e-mail para usar o Quorum.",
  officeFailed: "O Outlook não conseguiu concluir a ação",
  serviceFailed: "O Quorum não conseguiu concluir a ação",
  retry: "Tentar novamente",
  dismiss: "Fechar",
  attendees: "Participantes",
  noAttendees: "Adicione participantes à reunião para ver quando todos estão livres.",
  suggestions: "Horários sugeridos",
  noSuggestions: "Nenhum horário serve para todos nos próximos dias.",
  useThisTime: "Usar este horário",
  room: "Sala",
  roomHint: "O e-mail de uma sala: as sugestões passam a incluí-la quando estiver livre.",
  timeSet: "O horário da reunião foi atualizado.",
  allFree: "Todos livres",
  uncertain: (n) => `${n} incerto(s)`,
  availabilityOf: (day) => `Disponibilidade em ${day}`,
  proposeTimes: "Propor horários",
  proposeHint: "Insere no cursor de 3 a 5 horários livres para você e os destinatários.",
  proposeNeedsRecipients: "Adicione destinatários ao e-mail primeiro.",
  proposeIntro: "Algum destes horários funciona para você?",
  proposedInserted: (n) => `${n} horários propostos inseridos no e-mail.`,
  notEnoughFree: "Foram encontrados menos de 3 horários livres nos próximos dias.",
  readTitle: (who) => `Reunir-se com ${who}`,
  nextDays: "Disponibilidade nos próximos dias",
  bookWithQuorum: "Agendar com o Quorum",
  booked: (when) => `Agendado: ${when}. Os convites foram enviados.`,
  you: "Você",
  legendFree: "Livre",
  legendBusy: "Ocupado",
  legendTentative: "Provisório",
  legendOof: "Ausente",
  legendElsewhere: "Trabalhando em outro local",
  legendUnknown: "Desconhecido",
  legendOutside: "Fora do horário",
  calendarUnreadable: "Não foi possível ler o calendário",
  unavailableAll: (names: string, reason: string) => `${names}: ${reason} durante todo o período.`,
  emptyWindow: "Nenhuma reunião desta duração cabe nos próximos dias depois da antecedência mínima.",
  emptyNoCommon: "Todos têm horários livres nos próximos dias, mas nunca ao mesmo tempo.",
  emptyNoRoom: "Todos podem se reunir em alguns horários, mas a sala não está livre neles.",
};

const fr: Strings = {
  appName: "Quorum",
  loading: "Chargement…",
  noItem: "Ouvrez une réunion ou un e-mail pour utiliser Quorum.",
  officeFailed: "Outlook n'a pas pu effectuer l'action",
  serviceFailed: "Quorum n'a pas pu effectuer l'action",
  retry: "Réessayer",
  dismiss: "Fermer",
  attendees: "Participants",
  noAttendees: "Ajoutez des participants à la réunion pour voir quand tout le monde est libre.",
  suggestions: "Créneaux suggérés",
  noSuggestions: "Aucun créneau ne convient à tous dans les prochains jours.",
  useThisTime: "Choisir ce créneau",
  room: "Salle",
  roomHint: "L'adresse e-mail d'une salle : les suggestions l'incluent alors quand elle est libre.",
  timeSet: "L'horaire de la réunion a été mis à jour.",
  allFree: "Tout le monde est libre",
  uncertain: (n) => `${n} incertain(s)`,
  availabilityOf: (day) => `Disponibilités le ${day}`,
  proposeTimes: "Proposer des créneaux",
  proposeHint: "Insère au curseur 3 à 5 créneaux libres pour vous et les destinataires.",
  proposeNeedsRecipients: "Ajoutez d'abord des destinataires à l'e-mail.",
  proposeIntro: "L'un de ces créneaux vous conviendrait-il ?",
  proposedInserted: (n) => `${n} créneaux proposés insérés dans l'e-mail.`,
  notEnoughFree: "Moins de 3 créneaux libres ont été trouvés dans les prochains jours.",
  readTitle: (who) => `Rencontrer ${who}`,
  nextDays: "Disponibilités des prochains jours",
  bookWithQuorum: "Réserver avec Quorum",
  booked: (when) => `Réservé : ${when}. Les invitations ont été envoyées.`,
  you: "Vous",
  legendFree: "Libre",
  legendBusy: "Occupé",
  legendTentative: "Provisoire",
  legendOof: "Absent",
  legendElsewhere: "Travaille ailleurs",
  legendUnknown: "Inconnu",
  legendOutside: "Hors horaires",
  calendarUnreadable: "Le calendrier n'a pas pu être lu",
  unavailableAll: (names: string, reason: string) => `${names} : ${reason} pendant toute la période.`,
  emptyWindow: "Aucune réunion de cette durée ne tient dans les prochains jours après le délai minimal.",
  emptyNoCommon: "Chacun a du temps libre dans les prochains jours, mais jamais en même temps.",
  emptyNoRoom: "Tout le monde peut se réunir à certains moments, mais la salle n'est pas libre alors.",
};

const sv: Strings = {
  appName: "Quorum",
  loading: "Läser in…",
  noItem: "Öppna ett möte eller ett e-postmeddelande för att använda Quorum.",
  officeFailed: "Outlook kunde inte slutföra åtgärden",
  serviceFailed: "Quorum kunde inte slutföra åtgärden",
  retry: "Försök igen",
  dismiss: "Stäng",
  attendees: "Deltagare",
  noAttendees: "Lägg till deltagare i mötet för att se när alla är lediga.",
  suggestions: "Föreslagna tider",
  noSuggestions: "Ingen tid passar alla de närmaste dagarna.",
  useThisTime: "Använd den här tiden",
  room: "Rum",
  roomHint: "Ett rums e-postadress: förslagen tar då med det när det är ledigt.",
  timeSet: "Mötets tid uppdaterades.",
  allFree: "Alla lediga",
  uncertain: (n) => `${n} osäkra`,
  availabilityOf: (day) => `Tillgänglighet ${day}`,
  proposeTimes: "Föreslå tider",
  proposeHint: "Infogar 3–5 lediga tider för dig och mottagarna vid markören.",
  proposeNeedsRecipients: "Lägg först till mottagare i e-postmeddelandet.",
  proposeIntro: "Passar någon av de här tiderna?",
  proposedInserted: (n) => `${n} föreslagna tider infogades i e-postmeddelandet.`,
  notEnoughFree: "Färre än 3 lediga tider hittades de närmaste dagarna.",
  readTitle: (who) => `Träffa ${who}`,
  nextDays: "Tillgänglighet de närmaste dagarna",
  bookWithQuorum: "Boka med Quorum",
  booked: (when) => `Bokat: ${when}. Inbjudningar skickades.`,
  you: "Du",
  legendFree: "Ledig",
  legendBusy: "Upptagen",
  legendTentative: "Preliminär",
  legendOof: "Frånvarande",
  legendElsewhere: "Arbetar på annan plats",
  legendUnknown: "Okänd",
  legendOutside: "Utanför arbetstid",
  calendarUnreadable: "Kalendern kunde inte läsas",
  unavailableAll: (names: string, reason: string) => `${names}: ${reason} under hela perioden.`,
  emptyWindow: "Inget möte av den här längden ryms de närmaste dagarna efter den kortaste framförhållningen.",
  emptyNoCommon: "Alla har lediga tider de närmaste dagarna, men aldrig samtidigt.",
  emptyNoRoom: "Alla kan ses vid vissa tider, men rummet är inte ledigt då.",
};

export const languages = { en, "pt-BR": ptBR, fr, sv } as const;
export type Language = keyof typeof languages;

export function languageFor(locale: string | undefined): Language {
  const l = (locale ?? "en").toLowerCase();
  if (l.startsWith("pt")) return "pt-BR";
  if (l.startsWith("fr")) return "fr";
  if (l.startsWith("sv")) return "sv";
  return "en";
}

/** A live binding: `chooseLanguage` replaces it once Outlook's language is known. */
export let strings: Strings = en;

/** Switches the words to the language closest to Outlook's display language. */
export function chooseLanguage(locale: string | undefined): Language {
  const language = languageFor(locale);
  strings = languages[language];
  if (typeof document !== "undefined") document.documentElement.lang = language;
  return language;
}
