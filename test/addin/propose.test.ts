/** "Propose times": which slots are picked and how they are written (HTML and plain text). */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { unreadableOutside } from "../../addin/src/outside-recipients.ts";
import { pickProposedSlots, proposalHtml, proposalLines, proposalText } from "../../addin/src/propose.ts";
import type { Availability } from "../../addin/src/quorum.ts";
import { languages } from "../../addin/src/strings.ts";

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);
const slot = (iso: string, minutes = 30) => ({ start: at(iso), end: at(iso) + minutes * MIN });
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("pickProposedSlots", () => {
  test("takes at most two a day and five in all, in time order, without overlaps", () => {
    const candidates = [
      slot("2026-11-23T09:00:00Z"),
      slot("2026-11-23T09:15:00Z"),
      slot("2026-11-23T10:00:00Z"),
      slot("2026-11-23T11:00:00Z"),
      slot("2026-11-24T09:00:00Z"),
      slot("2026-11-25T09:00:00Z"),
      slot("2026-11-26T09:00:00Z"),
      slot("2026-11-27T09:00:00Z"),
    ];
    const picked = pickProposedSlots(candidates, utcDay);
    assert.deepEqual(
      picked.map((s) => new Date(s.start).toISOString()),
      [
        "2026-11-23T09:00:00.000Z",
        "2026-11-23T10:00:00.000Z",
        "2026-11-24T09:00:00.000Z",
        "2026-11-25T09:00:00.000Z",
        "2026-11-26T09:00:00.000Z",
      ],
    );
  });

  test("fills from the same day when there are too few days", () => {
    const picked = pickProposedSlots(
      [slot("2026-11-23T09:00:00Z"), slot("2026-11-23T10:00:00Z"), slot("2026-11-23T13:00:00Z")],
      utcDay,
    );
    assert.equal(picked.length, 3);
  });
});

describe("proposal text", () => {
  const options = {
    locale: "en-US",
    timeZone: "Europe/Stockholm",
    recipientZones: [
      { who: "Ana Souza", timeZone: "America/Sao_Paulo" },
      { who: "Claire Dubois", timeZone: "Europe/Paris" },
    ],
    intro: "Would one of these times work for you?",
  };

  test("writes each slot in the sender's zone and in recipients' zones with another offset", () => {
    const [line] = proposalLines([slot("2026-11-24T09:00:00Z")], options);
    const normalized = (line ?? "").replaceAll("\u202f", " ").replaceAll("\u2009", " ");
    // Paris has Stockholm's offset, so Claire's time adds nothing and is left out.
    assert.match(
      normalized,
      /^Tue, Nov 24, 10:00 – 10:30 AM Sweden Time · 6:00 – 6:30 AM S[ãa]o Paulo Time \(Ana Souza\)$/,
    );
  });

  test("formats in the sender's locale", () => {
    const [line] = proposalLines([slot("2026-11-24T09:00:00Z")], {
      ...options,
      locale: "sv-SE",
      recipientZones: [],
    });
    assert.match(line ?? "", /^tis 24 nov\. 10:00–10:30/);
  });

  test("HTML is a list with escaped text; plain text is a dashed list", () => {
    const slots = [slot("2026-11-24T09:00:00Z"), slot("2026-11-25T09:00:00Z"), slot("2026-11-26T09:00:00Z")];
    const html = proposalHtml(slots, { ...options, intro: "Free <soon> & fine?" });
    assert.match(
      html,
      /^<p>Free &lt;soon&gt; &amp; fine\?<\/p><ul data-quorum="proposed-times">(<li>[^<]+<\/li>){3}<\/ul>$/,
    );
    const text = proposalText(slots, options);
    assert.ok(text.startsWith("\n") && text.endsWith("\n"));
    const lines = text.trim().split("\n");
    assert.equal(lines[0], options.intro);
    assert.equal(lines.length, 4);
    for (const l of lines.slice(1)) assert.match(l, /^- \w{3}, Nov 2\d/);
  });
});

describe("a note on whose availability is not known", () => {
  const options = { locale: "en-US", timeZone: "Europe/Stockholm", recipientZones: [], intro: "Free?" };
  const slots = [slot("2026-11-24T09:00:00Z"), slot("2026-11-25T09:00:00Z"), slot("2026-11-26T09:00:00Z")];

  test("follows the list, in HTML and in plain text, and is absent when everyone is known", () => {
    const note = "Availability of <x@fabrikam.example> is not known.";
    assert.match(
      proposalHtml(slots, { ...options, note }),
      /<\/ul><p data-quorum="availability-note">Availability of &lt;x@fabrikam\.example&gt; is not known\.<\/p>$/,
    );
    const text = proposalText(slots, { ...options, note });
    assert.ok(text.endsWith(`\n- ${proposalLines(slots, options).at(-1)}\n${note}\n`), text);
    assert.doesNotMatch(proposalHtml(slots, options), /availability-note/);
  });

  test("is worded in every language of the pane, naming the organization and the people", () => {
    for (const [language, words] of Object.entries(languages)) {
      const note = words.proposeUnknownNote("contoso.com", "x@fabrikam.example");
      assert.match(note, /contoso\.com.*x@fabrikam\.example/, language);
      assert.match(words.proposeUnknownNoteOnlyMe("x@fabrikam.example"), /x@fabrikam\.example/, language);
    }
    assert.equal(
      languages.fr.proposeUnknownNote("contoso.com", "x@fabrikam.example"),
      "Créneaux où les participants de contoso.com sont libres ; la disponibilité de x@fabrikam.example n'est pas connue.",
    );
  });
});

describe("unreadableOutside", () => {
  const row = (email: string, error: boolean): Availability["people"][number] => ({
    email,
    role: "required",
    view: error ? "" : "000",
    timeZone: null,
    error: error ? { code: "ErrorMailRecipientNotFound", message: "The mailbox was not found." } : null,
  });
  const answer = (...people: Availability["people"]): Availability => ({
    window: { start: 0, end: 1 },
    intervalMinutes: 15,
    people,
    suggestions: [],
    emptyReason: null,
  });
  const person = (email: string) => ({ email, name: email });

  test("is the recipients at another domain whose calendar could not be read", () => {
    const recipients = [
      person("ana.souza@contoso.com"),
      person("lena.ortiz@fabrikam.example"),
      person("sam@contoso-labs.example"),
      person("typo@contoso.com"),
    ];
    const found = unreadableOutside(
      answer(
        row("ana.souza@contoso.com", false),
        row("Lena.Ortiz@fabrikam.example", true),
        // Another domain of the same organization: readable, so it counts like anyone else.
        row("sam@contoso-labs.example", false),
        // A colleague whose calendar fails stays uncertain rather than outside.
        row("typo@contoso.com", true),
      ),
      recipients,
      "Contoso.com",
    );
    assert.deepEqual(
      found.map((p) => p.email),
      ["lena.ortiz@fabrikam.example"],
    );
  });
});
