/**
 * Adaptive Cards of the bot, built with @microsoft/teams.cards. Every function returns the card as plain
 * JSON (what goes into the attachment). Action data is signed by the caller (see card-signing.ts).
 */
import {
  ActionSet,
  AdaptiveCard,
  Column,
  ColumnSet,
  ExecuteAction,
  Fact,
  FactSet,
  OpenUrlAction,
  TextBlock,
} from "@microsoft/teams.cards";
import { type CommandName, commandWords, formattingLocale, type Language } from "./lexicon.ts";
import type {
  AttendeeState,
  BookedMeeting,
  InvitationView,
  MySeats,
  PendingJoinRequest,
  Person,
  PoolSummary,
  SlotSuggestion,
} from "./ports.ts";
import { type StringKey, say } from "./strings.ts";
import { formatInstant, formatRange } from "./zoned-time.ts";

export type CardJson = Record<string, unknown>;
export type ActionData = { quorum: string };

const cardVersion = "1.5";

function finish(card: AdaptiveCard): CardJson {
  return JSON.parse(JSON.stringify(card.withVersion(cardVersion))) as CardJson;
}

const title = (text: string) => new TextBlock(text, { size: "Medium", weight: "Bolder", wrap: true });
const line = (text: string, options: { subtle?: boolean } = {}) =>
  new TextBlock(text, { wrap: true, ...(options.subtle ? { isSubtle: true } : {}) });

export interface Viewer {
  readonly language: Language;
  readonly timeZone: string;
}

const helpRows: readonly [CommandName, StringKey, StringKey | null][] = [
  ["availability", "helpAvailability", "exAvailability"],
  ["book", "helpBook", "exBook"],
  ["meetings", "helpMeetings", "exMeetings"],
  ["cancel", "helpCancel", "exCancel"],
  ["seat", "helpSeat", null],
  ["sync", "helpSync", "exSync"],
  ["seats", "helpSeats", null],
  ["requests", "helpRequests", null],
];

export function helpCard(viewer: Viewer): CardJson {
  const { language } = viewer;
  const body = [title(say(language, "helpTitle"))];
  for (const [name, descriptionKey, exampleKey] of helpRows) {
    const word = commandWords[language][name][0] ?? name;
    body.push(line(`**${word}** — ${say(language, descriptionKey)}`));
    if (exampleKey) body.push(line(`\`${say(language, exampleKey)}\``, { subtle: true }));
  }
  return finish(new AdaptiveCard(...body));
}

const stateKey: Record<AttendeeState, StringKey> = {
  free: "statusFree",
  tentative: "statusTentative",
  busy: "statusBusy",
  oof: "statusOof",
  workingElsewhere: "statusWorkingElsewhere",
  outsideWorkingHours: "statusOutsideWorkingHours",
  unknown: "statusUnknown",
};

export function stateLabel(language: Language, state: AttendeeState): string {
  return say(language, stateKey[state]);
}

/**
 * Top suggestions with each attendee's status. With `bookAction`, each slot gets a Book button whose
 * (signed) data the caller makes for that slot.
 */
export function suggestionsCard(
  viewer: Viewer,
  input: {
    people: readonly Person[];
    suggestions: readonly SlotSuggestion[];
    unreadable: readonly { person: Person; message: string }[];
    unavailable: readonly { person: Person; state: AttendeeState }[];
    bookAction?: (s: SlotSuggestion) => ActionData;
  },
): CardJson {
  const { language } = viewer;
  const body: (TextBlock | ColumnSet | ActionSet)[] = [
    title(say(language, "suggestionsTitle", { people: input.people.map((p) => p.displayName).join(", ") })),
  ];
  for (const u of input.unreadable) {
    body.push(
      new TextBlock(say(language, "unreadable", { name: u.person.displayName, message: u.message }), {
        wrap: true,
        color: "Attention",
      }),
    );
  }
  if (input.suggestions.length === 0) {
    // Who is away for the whole time asked, and why, before the general advice.
    for (const u of input.unavailable)
      body.push(
        line(
          say(language, "unavailableWhole", {
            name: u.person.displayName,
            state: stateLabel(language, u.state),
          }),
        ),
      );
    body.push(line(say(language, "noSuggestions")));
  }
  body.push(...slotRows(viewer, input.suggestions, input.bookAction));
  return finish(new AdaptiveCard(...body));
}

/** One row per slot: its time, each attendee's status, and a Book button when `bookAction` is given. */
function slotRows(
  viewer: Viewer,
  slots: readonly SlotSuggestion[],
  bookAction: ((s: SlotSuggestion) => ActionData) | undefined,
): ColumnSet[] {
  const { language, timeZone } = viewer;
  const locale = formattingLocale[language];
  return slots.map((s) => {
    const statuses = s.attendees
      .map((a) => `${a.person.displayName}: ${stateLabel(language, a.state)}`)
      .join(" · ");
    const left = new Column(
      new TextBlock(formatRange(s.start, s.end, locale, timeZone), { weight: "Bolder", wrap: true }),
      ...(statuses ? [new TextBlock(statuses, { isSubtle: true, wrap: true, spacing: "None" })] : []),
    ).withWidth("stretch");
    const columns = [left];
    if (bookAction) {
      columns.push(
        new Column(
          new ActionSet(
            new ExecuteAction({ title: say(language, "bookThis"), verb: "book", data: bookAction(s) }),
          ),
        )
          .withWidth("auto")
          .withVerticalContentAlignment("Center"),
      );
    }
    return new ColumnSet().withColumns(...columns).withSeparator(true);
  });
}

/**
 * A Book that lost its time to someone else: says so, and offers the times found free for everyone
 * instead (never the lost one), each with its own Book button.
 */
export function slotTakenCard(
  viewer: Viewer,
  input: { alternatives: readonly SlotSuggestion[]; bookAction: (s: SlotSuggestion) => ActionData },
): CardJson {
  const { language } = viewer;
  return finish(
    new AdaptiveCard(
      title(say(language, "slotTaken")),
      line(
        say(language, input.alternatives.length > 0 ? "slotTakenAlternatives" : "slotTakenNoAlternatives"),
      ),
      ...slotRows(viewer, input.alternatives, input.bookAction),
    ),
  );
}

export function confirmationCard(
  viewer: Viewer,
  meeting: BookedMeeting,
  attendeeNames: readonly string[],
): CardJson {
  const { language, timeZone } = viewer;
  const locale = formattingLocale[language];
  const card = new AdaptiveCard(
    title(say(language, "bookedTitle", { subject: meeting.subject })),
    new FactSet(
      new Fact(say(language, "bookedWhen"), formatRange(meeting.start, meeting.end, locale, timeZone)),
      new Fact(say(language, "bookedWith"), attendeeNames.join(", ")),
    ),
    ...(meeting.joinUrl ? [] : [line(say(language, "noJoinLink"), { subtle: true })]),
  );
  if (meeting.joinUrl) card.withActions(new OpenUrlAction(meeting.joinUrl, { title: say(language, "join") }));
  return finish(card);
}

export function meetingsCard(
  viewer: Viewer,
  meetings: readonly { n: number; meeting: BookedMeeting }[],
): CardJson {
  const { language, timeZone } = viewer;
  const locale = formattingLocale[language];
  const body: (TextBlock | ColumnSet)[] = [title(say(language, "meetingsTitle"))];
  if (meetings.length === 0) body.push(line(say(language, "noMeetings")));
  for (const { n, meeting } of meetings) {
    const text = meeting.joinUrl ? `[${meeting.subject}](${meeting.joinUrl})` : meeting.subject;
    body.push(
      new ColumnSet()
        .withColumns(
          new Column(new TextBlock(`${n}.`, { weight: "Bolder" })).withWidth("auto"),
          new Column(
            new TextBlock(text, { wrap: true, weight: "Bolder" }),
            new TextBlock(formatRange(meeting.start, meeting.end, locale, timeZone), {
              isSubtle: true,
              spacing: "None",
            }),
          ).withWidth("stretch"),
        )
        .withSeparator(true),
    );
  }
  return finish(new AdaptiveCard(...body));
}

const kindLabel = (language: Language, kind: string) =>
  kind === "calling" ? say(language, "kindCalling") : kind === "sync" ? say(language, "kindSync") : kind;

export function seatCard(viewer: Viewer, mine: MySeats): CardJson {
  const { language } = viewer;
  const body = [title(say(language, "seatTitle"))];
  if (mine.seats.length === 0) body.push(line(say(language, "noSeats")));
  for (const seat of mine.seats) {
    const state = seat.phoneNumber ? `${seat.state} (${seat.phoneNumber})` : seat.state;
    body.push(line(say(language, "seatLine", { kind: kindLabel(language, seat.kind), state })));
  }
  body.push(
    line(say(language, "syncLine", { state: say(language, mine.sync.enabled ? "syncOn" : "syncOff") })),
    line(say(language, "syncStatus", { status: mine.sync.status }), { subtle: true }),
  );
  if (mine.sync.lastError) body.push(line(say(language, "syncError", { error: mine.sync.lastError })));
  return finish(new AdaptiveCard(...body));
}

export function poolsCard(viewer: Viewer, pools: readonly PoolSummary[]): CardJson {
  const { language } = viewer;
  return finish(
    new AdaptiveCard(
      title(say(language, "seatsTitle")),
      new FactSet(
        ...pools.map(
          (p) =>
            new Fact(
              kindLabel(language, p.kind),
              say(language, "seatsLine", { kind: kindLabel(language, p.kind), used: p.used, total: p.total }),
            ),
        ),
      ),
    ),
  );
}

export function joinRequestCard(
  viewer: Viewer,
  request: PendingJoinRequest,
  actions: { approve: ActionData; deny: ActionData } | { decided: "approved" | "denied" },
): CardJson {
  const { language, timeZone } = viewer;
  const kinds = request.seatKinds.map((k) => kindLabel(language, k)).join(", ");
  const card = new AdaptiveCard(
    line(say(language, "requestFrom", { name: request.person.displayName, kinds }), {}),
    ...(request.message ? [line(`“${request.message}”`, { subtle: true })] : []),
    line(formatInstant(request.createdAt, formattingLocale[language], timeZone), { subtle: true }),
  );
  if ("decided" in actions) {
    card.body.push(
      new TextBlock(
        say(language, actions.decided === "approved" ? "approved" : "denied", {
          name: request.person.displayName,
        }),
        { weight: "Bolder", color: actions.decided === "approved" ? "Good" : "Attention", wrap: true },
      ),
    );
  } else {
    card.withActions(
      new ExecuteAction({ title: say(language, "approve"), verb: "decide", data: actions.approve }).withStyle(
        "positive",
      ),
      new ExecuteAction({ title: say(language, "deny"), verb: "decide", data: actions.deny }).withStyle(
        "destructive",
      ),
    );
  }
  return finish(card);
}

const roleKeys: Record<string, StringKey> = {
  member: "roleMember",
  scheduler: "roleScheduler",
  admin: "roleAdmin",
  owner: "roleOwner",
};

/** An admin's invitation with Accept/Decline for the invitee, or, once answered, the answer. */
export function invitationCard(
  viewer: Viewer,
  invitation: InvitationView,
  actions: { accept: ActionData; decline: ActionData } | { answered: "accepted" | "declined" },
): CardJson {
  const { language } = viewer;
  const roleKey = roleKeys[invitation.role];
  const kinds = invitation.seatKinds.map((k) => kindLabel(language, k)).join(", ");
  const card = new AdaptiveCard(
    title(say(language, "invitedYou", { name: invitation.invitedByName ?? say(language, "roleAdmin") })),
    line(say(language, "invitedRole", { role: roleKey ? say(language, roleKey) : invitation.role })),
    ...(kinds ? [line(say(language, "invitedSeats", { kinds }))] : []),
  );
  if ("answered" in actions) {
    card.body.push(
      new TextBlock(
        say(language, actions.answered === "accepted" ? "invitationAccepted" : "invitationDeclined"),
        { weight: "Bolder", color: actions.answered === "accepted" ? "Good" : "Default", wrap: true },
      ),
    );
  } else {
    card.withActions(
      new ExecuteAction({
        title: say(language, "accept"),
        verb: "invitation",
        data: actions.accept,
      }).withStyle("positive"),
      new ExecuteAction({ title: say(language, "decline"), verb: "invitation", data: actions.decline }),
    );
  }
  return finish(card);
}

export function choiceCard(
  viewer: Viewer,
  query: string,
  candidates: readonly { person: Person; data: ActionData }[],
): CardJson {
  const { language } = viewer;
  return finish(
    new AdaptiveCard(
      title(say(language, "chooseTitle", { query })),
      new ActionSet(
        ...candidates.map(
          (c) =>
            new ExecuteAction({
              title: `${c.person.displayName} (${c.person.mail})`,
              verb: "choose",
              data: c.data,
            }),
        ),
      ),
    ),
  );
}

/** A one-line card, used when an action's answer replaces the clicked card. */
export function messageCard(text: string, tone: "default" | "attention" = "default"): CardJson {
  return finish(
    new AdaptiveCard(
      new TextBlock(text, { wrap: true, ...(tone === "attention" ? { color: "Attention" as const } : {}) }),
    ),
  );
}
