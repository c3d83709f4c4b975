/**
 * Entries of the dev start page (`/`, dev mode only). One entry per dev surface; append yours here.
 */
export interface DevLink {
  readonly href: string;
  readonly title: string;
  readonly description: string;
}

export const devLinks: readonly DevLink[] = [
  {
    href: "/dev/teams?tab=schedule",
    title: "Schedule tab (Teams dev host)",
    description:
      "The personal Schedule tab framed by a local Teams host: pick a demo user, theme and language.",
  },
  {
    href: "/dev/teams?tab=admin",
    title: "Admin tab (Teams dev host)",
    description:
      "Consent, seat pools, users, CSV import, rules, requests and the audit log, as a tenant admin.",
  },
  {
    href: "/dev/outlook",
    title: "Outlook add-in (Outlook dev host)",
    description:
      "The Quorum task pane next to a simple Outlook compose/read form: find times for a meeting's attendees, propose times in an e-mail, book from a received e-mail.",
  },
  {
    href: "/dev/bot",
    title: "Quorum bot (local chat)",
    description:
      "Chat with the Quorum bot as a demo user in any of its languages: real Teams activities to /api/messages, replies and Adaptive Cards shown here.",
  },
];
