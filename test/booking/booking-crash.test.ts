/**
 * A service killed while Graph creates a booking's event, with real processes: the service runs as a child
 * process on an embedded database directory, the tenant emulator in this process (it outlives the kill),
 * and the emulator's fault injection holds the event creations so SIGKILL lands while they are in flight.
 * After a restart on the same directory, the booking whose event Graph never created frees its slot, and
 * the one whose event Graph created after the kill is confirmed with that one event.
 */
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { Agent, fetch as undiciFetch } from "undici";
import { test } from "vitest";
import type { AvailabilityResponse } from "../../src/api-contract/availability.ts";
import type { BookingResponse } from "../../src/api-contract/bookings.ts";
import { loadConfig } from "../../src/config.ts";
import { transactionIdFor } from "../../src/core/booking/model.ts";
import { CLAIM_TIMEOUT_MS } from "../../src/core/booking/reconcile.ts";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { testClock } from "../support/clock.ts";
import { runConsentFlow } from "../support/consent-flow.ts";
import { repoRoot } from "../support/database.ts";
import { until } from "../support/until.ts";

const { contoso } = DEMO;
const SOFIA = contoso.users.sofia;
const LUCAS = contoso.users.lucas;
const ANA = contoso.users.ana;
const AURORA = contoso.rooms.aurora.mail;
const IPANEMA = contoso.rooms.ipanema.mail;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Service {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly exited: Promise<unknown[]>;
  log(): string;
}

/** The run's pinned clock, shared by the emulator and (shifted where said) the service. */
const clock = testClock();

/** Starts the service (test/booking/fixtures/service.ts) on `dataDir`, its clock `clockAheadMs` ahead. */
async function startService(emulator: Emulator, dataDir: string, clockAheadMs: number): Promise<Service> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "test/booking/fixtures/service.ts",
      JSON.stringify({
        dataDir,
        authorityHost: emulator.authorityHost,
        graphBaseUrl: emulator.graphBaseUrl,
        caCertPem: emulator.caCertPem,
        clockStartMs: clock.now() + clockAheadMs,
      }),
    ],
    { cwd: repoRoot, env: process.env },
  );
  let log = "";
  child.stderr.on("data", (d: Buffer) => {
    log += d.toString();
  });
  const exited = once(child, "exit");
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith("{")) {
      const { url } = JSON.parse(line) as { url: string };
      return { child, url, exited, log: () => log };
    }
  }
  throw new Error(`the service did not start: ${log}`);
}

test("kill -9 during event creation, restart, the slot is free or the booking confirmed within the bound", async () => {
  const defaults = loadConfig({});
  const emulator = await startEmulator({
    port: 0,
    clock,
    app: { clientId: defaults.m365.clientId, clientSecret: defaults.m365.clientSecret },
  });
  const agent = new Agent({ connect: { ca: [emulator.caCertPem] } });
  const dataDir = await mkdtemp(path.join(tmpdir(), "quorum-crash-"));
  let service: Service | undefined;
  try {
    const emulatorCall = async <T>(method: string, url: string, body?: unknown) => {
      const response = await undiciFetch(url, {
        method,
        dispatcher: agent,
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
          : {}),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T, text };
    };
    /** Events with this transactionId in a mailbox, read through Graph as Quorum's app. */
    const eventsWith = async (mailbox: string, transactionId: string) => {
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: defaults.m365.clientId,
        client_secret: defaults.m365.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      });
      const token = await undiciFetch(`${emulator.authorityHost}/${contoso.id}/oauth2/v2.0/token`, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const filter = encodeURIComponent(`transactionId eq '${transactionId}'`);
      const events = await undiciFetch(
        `${emulator.graphBaseUrl}/users/${encodeURIComponent(mailbox)}/events?$filter=${filter}`,
        { dispatcher: agent, headers: { authorization: `Bearer ${access_token}` } },
      );
      const page = (await events.json()) as { value: { id: string; isCancelled: boolean }[] };
      return page.value.filter((e) => !e.isCancelled);
    };
    const call = async <T>(
      as: string,
      method: string,
      url: string,
      options: { key?: string; body?: unknown } = {},
    ) => {
      const response = await undiciFetch(`${service!.url}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${await emulator.signInToken(contoso.id, as)}`,
          ...(options.key ? { "idempotency-key": options.key } : {}),
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text) as T, text };
    };
    /** The first sure slot of 30 minutes for the organizer and the room, two weeks or more ahead. */
    const freeSlot = async (organizer: string, room: string) => {
      let start = Math.floor((clock.now() + 14 * DAY) / DAY) * DAY;
      while (new Date(start).getUTCDay() !== 2) start += DAY;
      const q = new URLSearchParams({
        start: iso(start),
        end: iso(start + 2 * DAY),
        durationMinutes: "30",
        timeZone: "UTC",
        required: organizer,
        rooms: room,
      });
      const res = await call<AvailabilityResponse>(organizer, "GET", `/api/availability?${q}`);
      assert.equal(res.status, 200, res.text);
      const slot = res.body.suggestions.find((s) => s.uncertain === 0);
      assert.ok(slot, `a free slot for ${organizer} in ${room}`);
      return { start: iso(slot.start), end: iso(slot.end), timeZone: "UTC", required: [], room };
    };

    service = await startService(emulator, dataDir, 0);
    const consent = await runConsentFlow({ productUrl: service.url, emulator, agent, tenantId: contoso.id });
    assert.ok(consent.status < 400, await consent.text());
    const sync = await call(contoso.admin.upn, "POST", "/api/admin/directory/sync");
    assert.equal(sync.status, 200, sync.text);

    // Sofia's event creation never reaches her calendar (the connection drops after 4 s); Lucas's reaches
    // his 4 s after the request arrived, whether or not anyone still waits for the answer.
    const sofiaSlot = { subject: "Lost with the process", ...(await freeSlot(SOFIA.upn, AURORA)) };
    const lucasSlot = { subject: "Created after the kill", ...(await freeSlot(LUCAS.upn, IPANEMA)) };
    for (const rule of [
      { mailbox: SOFIA.upn, path: "/events", method: "POST", latencyMs: 4000, drop: true, count: 1 },
      { mailbox: LUCAS.upn, path: "/events", method: "POST", latencyMs: 4000, count: 1 },
    ]) {
      const added = await emulatorCall("POST", `${emulator.url}/_emulator/faults`, rule);
      assert.equal(added.status, 201, added.text);
    }
    const inFlight = [
      call(SOFIA.upn, "POST", "/api/bookings", { key: "sofia-crash", body: sofiaSlot }),
      call(LUCAS.upn, "POST", "/api/bookings", { key: "lucas-crash", body: lucasSlot }),
    ].map((p) =>
      p.then(
        () => assert.fail("the killed service answered"),
        (error: unknown) => error,
      ),
    );
    // Both event creations are in flight at the emulator once both fault rules have fired (and retired).
    await until(
      async () =>
        (await emulatorCall<{ value: unknown[] }>("GET", `${emulator.url}/_emulator/faults`)).body.value
          .length === 0,
      "both event creations reached the emulator",
    );
    service.child.kill("SIGKILL");
    await service.exited;
    for (const error of await Promise.all(inFlight)) assert.ok(error instanceof Error);

    const lucasTransaction = transactionIdFor(contoso.id, LUCAS.id, "lucas-crash");
    await until(
      async () => (await eventsWith(LUCAS.upn, lucasTransaction)).length === 1,
      "Graph created Lucas's event after the kill",
    );
    const sofiaTransaction = transactionIdFor(contoso.id, SOFIA.id, "sofia-crash");
    assert.deepEqual(await eventsWith(SOFIA.upn, sofiaTransaction), [], "Sofia's event was never created");

    // Restarted on the same directory when the claim timeout has passed (its clock runs that far ahead),
    // the service settles both bookings on its own, within seconds.
    service = await startService(emulator, dataDir, CLAIM_TIMEOUT_MS + 1000);
    const from = encodeURIComponent(iso(Date.parse(lucasSlot.start) - DAY));
    const to = encodeURIComponent(iso(Date.parse(lucasSlot.start) + DAY));
    let lucasBooking: BookingResponse | undefined;
    await until(async () => {
      const listed = await call<{ bookings: BookingResponse[] }>(
        LUCAS.upn,
        "GET",
        `/api/bookings?from=${from}&to=${to}`,
      );
      lucasBooking = listed.body.bookings.find((b) => b.subject === lucasSlot.subject);
      return lucasBooking?.status === "confirmed";
    }, "Lucas's booking reads confirmed");
    const lucasEvents = await eventsWith(LUCAS.upn, lucasTransaction);
    assert.equal(lucasEvents.length, 1, "exactly one event in Lucas's calendar");
    assert.equal(lucasBooking?.eventId, lucasEvents[0]!.id);
    assert.match(lucasBooking?.joinUrl ?? "", /^https:\/\/teams\.microsoft\.com\//);

    // Sofia's slot in Aurora is free again: Ana books it.
    let taken: { status: number; text: string } | undefined;
    await until(async () => {
      taken = await call(ANA.upn, "POST", "/api/bookings", {
        key: "ana-after-restart",
        body: { ...sofiaSlot, subject: "Aurora after the restart" },
      });
      return taken.status === 201;
    }, "Sofia's slot in Aurora can be booked again");

    service.child.kill("SIGTERM");
    const [code] = await service.exited;
    assert.equal(code, 0, service.log());
  } catch (error) {
    if (service) process.stderr.write(service.log());
    throw error;
  } finally {
    if (service && service.child.exitCode === null) service.child.kill("SIGKILL");
    await emulator.close();
    await agent.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
