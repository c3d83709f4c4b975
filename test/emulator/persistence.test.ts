/**
 * The emulator on a data directory: a restart continues where the last run stopped (consent, events and
 * their exceptions, contacts, To Do, subscriptions, phone numbers, delta links, tokens already issued, the
 * port and the certificate), the demo week stays the one the directory was seeded around, and a fresh
 * directory seeds the demo again.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { Clock } from "../../src/core/clock.ts";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { CONTOSO_DEFAULT_USERS, DEMO } from "../../src/emulator/seed.ts";
import { STATE_FILE } from "../../src/emulator/store.ts";
import { CA_CERT_FILE, CA_KEY_FILE, createCertificate } from "../../src/emulator/tls.ts";
import {
  appToken,
  control,
  graphClient,
  pageAll,
  presentedFingerprint,
  raw,
  webhookReceiver,
} from "./support.ts";

const C = DEMO.contoso;
const ANA = C.users.ana;
const ERIK = C.users.erik;
const DAY = 86_400_000;
const NOW = Date.parse("2026-11-24T10:00:00Z");
const clockAt = (ms: number): Clock => ({ now: () => ms });

describe("emulator: a data directory keeps the tenant across restarts", () => {
  const dirs: string[] = [];
  const newDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "quorum-emulator-"));
    dirs.push(dir);
    return dir;
  };
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    hook = await webhookReceiver();
  });
  afterAll(async () => {
    await hook.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test("a restart continues where the last run stopped; a fresh directory seeds the demo again", async () => {
    const dir = await newDir();
    const first = await startEmulator({ dataDir: dir, clock: clockAt(NOW) });
    let before: {
      url: string;
      cert: string;
      token: string;
      eventId: string;
      changeKey: string;
      subscriptionId: string;
      usersDeltaLink: string;
      occurrenceId: string;
      contactId: string;
      taskListId: string;
      taskId: string;
      number: string;
    };
    try {
      assert.equal((await control(first, "POST", `/tenants/${C.id}/consent`, {})).status, 200);
      const token = await appToken(first, C.id);
      const graph = graphClient(first, async () => token);
      const event = await graph.api(`/users/${ANA.upn}/events`).post({
        subject: "Kept across restarts",
        start: { dateTime: "2026-11-26T13:00:00", timeZone: "UTC" },
        end: { dateTime: "2026-11-26T13:30:00", timeZone: "UTC" },
        transactionId: "persisted-booking-1",
      });
      const subscription = await graph.api("/subscriptions").post({
        changeType: "created,updated,deleted",
        notificationUrl: `${hook.url}/notifications`,
        resource: `/users/${ANA.id}/events`,
        expirationDateTime: new Date(NOW + 3 * DAY).toISOString(),
        clientState: "kept",
      });
      const users = await pageAll(graph, "/users/delta?$select=displayName");
      assert.equal(users.items.length, CONTOSO_DEFAULT_USERS);
      // An exception of a demo series: one occurrence of Erik's stand-up renamed.
      const view = await graph
        .api(
          `/users/${ERIK.upn}/calendarView?startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-11-28T00:00:00Z&$top=100`,
        )
        .get();
      const occurrence = (view.value as { id: string; type: string }[]).find((e) => e.type === "occurrence");
      assert.ok(occurrence, "Erik's demo week has a recurring occurrence");
      await graph
        .api(`/users/${ERIK.upn}/events/${occurrence.id}`)
        .patch({ subject: "Stand-up (kept exception)" });
      const contact = await graph
        .api(`/users/${ANA.upn}/contacts`)
        .post({ givenName: "Kept", surname: "Contact", emailAddresses: [{ address: "kept@example.com" }] });
      const lists = await graph.api(`/users/${ANA.upn}/todo/lists`).get();
      const taskListId = lists.value[0].id as string;
      const task = await graph
        .api(`/users/${ANA.upn}/todo/lists/${taskListId}/tasks`)
        .post({ title: "Kept task" });
      const pool = await control<{ value: { telephoneNumber: string; assignmentStatus: string }[] }>(
        first,
        "GET",
        `/tenants/${C.id}/phone-numbers`,
      );
      const number = pool.body.value.find((n) => n.assignmentStatus === "unassigned")?.telephoneNumber ?? "";
      const assign = await raw(
        first,
        "/v1.0/admin/teams/telephoneNumberManagement/numberAssignments/assignNumber",
        {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            telephoneNumber: number,
            assignmentTargetId: ANA.id,
            numberType: "callingPlan",
          }),
        },
      );
      const operation = assign.headers.get("location") ?? "";
      await graph.api(operation).get();
      assert.equal((await graph.api(operation).get()).status, "succeeded");
      before = {
        url: first.url,
        cert: first.caCertPem,
        token,
        eventId: event.id,
        changeKey: event.changeKey,
        subscriptionId: subscription.id,
        usersDeltaLink: (users.last["@odata.deltaLink"] as string | undefined) ?? "",
        occurrenceId: occurrence.id,
        contactId: contact.id,
        taskListId,
        taskId: task.id,
        number,
      };
    } finally {
      await first.close();
    }

    const second = await startEmulator({ dataDir: dir, clock: clockAt(NOW + 60_000) });
    try {
      assert.equal(second.url, before.url, "the same port again, so links handed out still work");
      assert.equal(second.caCertPem, before.cert);
      // Consent held: a new app-only token is issued; one issued before the restart still verifies.
      const token = await appToken(second, C.id);
      const graph = graphClient(second, async () => token);
      const earlier = graphClient(second, async () => before.token);
      const event = await earlier.api(`/users/${ANA.upn}/events/${before.eventId}`).get();
      assert.equal(event.subject, "Kept across restarts");
      const moved = await raw(second, `/v1.0/users/${ANA.upn}/events/${before.eventId}`, {
        method: "PATCH",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "if-match": `W/"${before.changeKey}"`,
        },
        body: JSON.stringify({ subject: "Kept and moved" }),
      });
      assert.equal(moved.status, 200, moved.text);
      // transactionId still makes a retried create return the kept event.
      const retried = await graph.api(`/users/${ANA.upn}/events`).post({
        subject: "Kept across restarts",
        start: { dateTime: "2026-11-26T13:00:00", timeZone: "UTC" },
        end: { dateTime: "2026-11-26T13:30:00", timeZone: "UTC" },
        transactionId: "persisted-booking-1",
      });
      assert.equal(retried.id, before.eventId);

      const subscriptions = await graph.api("/subscriptions").get();
      assert.deepEqual(
        subscriptions.value.map((s: { id: string; clientState: string }) => [s.id, s.clientState]),
        [[before.subscriptionId, "kept"]],
      );
      await hook.waitForNotifications(1);
      assert.deepEqual(
        hook
          .notifications()
          .map((n) => [n.subscriptionId, n.changeType, (n.resourceData as { id: string }).id]),
        [[before.subscriptionId, "updated", before.eventId]],
        "the kept subscription notifies the change made after the restart",
      );

      const replay = await graph.api(before.usersDeltaLink).get();
      assert.deepEqual(replay.value, [], "the delta link from before the restart answers: nothing changed");
      const occurrence = await graph.api(`/users/${ERIK.upn}/events/${before.occurrenceId}`).get();
      assert.deepEqual([occurrence.type, occurrence.subject], ["exception", "Stand-up (kept exception)"]);
      assert.equal(
        (await graph.api(`/users/${ANA.upn}/contacts/${before.contactId}`).get()).displayName,
        "Kept Contact",
      );
      assert.equal(
        (await graph.api(`/users/${ANA.upn}/todo/lists/${before.taskListId}/tasks/${before.taskId}`).get())
          .title,
        "Kept task",
      );
      const numbers = await control<{
        value: { telephoneNumber: string; assignmentTargetId: string | null }[];
      }>(second, "GET", `/tenants/${C.id}/phone-numbers`);
      assert.equal(
        numbers.body.value.find((n) => n.telephoneNumber === before.number)?.assignmentTargetId,
        ANA.id,
      );
    } finally {
      await second.close();
    }

    const fresh = await startEmulator({ dataDir: await newDir(), clock: clockAt(NOW) });
    try {
      const described = await control<{ tenants: { id: string; consented: boolean; users: number }[] }>(
        fresh,
        "GET",
        "/",
      );
      assert.deepEqual(
        described.body.tenants.map((t) => [t.id, t.consented]),
        [
          [C.id, false],
          [DEMO.fabrikam.id, false],
        ],
      );
      assert.ok((described.body.tenants[0]?.users ?? 0) >= CONTOSO_DEFAULT_USERS);
      await control(fresh, "POST", `/tenants/${C.id}/consent`, {});
      const token = await appToken(fresh, C.id);
      const missing = await raw(fresh, `/v1.0/users/${ANA.upn}/events/${before.eventId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(missing.status, 404);
    } finally {
      await fresh.close();
    }
  });

  test("the demo week stays the one the directory was seeded around; reset moves it to this week", async () => {
    const dir = await newDir();
    const seeded = await startEmulator({ dataDir: dir, clock: clockAt(NOW) });
    await seeded.close();
    const later = NOW + 8 * DAY;
    const restarted = await startEmulator({ dataDir: dir, clock: clockAt(later) });
    const reference = await startEmulator({ clock: clockAt(NOW) });
    try {
      const week = async (emulator: Emulator) =>
        (await control<{ demoWeek: string }>(emulator, "GET", "/")).body.demoWeek;
      assert.equal(await week(restarted), "2026-11-23");
      // A mailbox nobody opened before the restart is generated around the kept week, as it would have been.
      const sofiaWeek = async (emulator: Emulator) => {
        await control(emulator, "POST", `/tenants/${C.id}/consent`, {});
        const token = await appToken(emulator, C.id);
        const view = await graphClient(emulator, async () => token)
          .api(
            `/users/${C.users.sofia.upn}/calendarView?startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-11-28T00:00:00Z&$top=100&$select=subject,start`,
          )
          .get();
        return (view.value as { id: string; subject: string }[]).map((e) => [e.id, e.subject]);
      };
      const kept = await sofiaWeek(restarted);
      assert.ok(kept.length > 0);
      assert.deepEqual(kept, await sofiaWeek(reference));
      assert.equal((await control(restarted, "POST", "/reset")).status, 204);
      assert.equal(await week(restarted), "2026-11-30");
    } finally {
      await restarted.close();
      await reference.close();
    }
    const fresh = await startEmulator({ dataDir: await newDir(), clock: clockAt(later) });
    try {
      assert.equal((await control<{ demoWeek: string }>(fresh, "GET", "/")).body.demoWeek, "2026-11-30");
    } finally {
      await fresh.close();
    }
  });

  test("a directory made from another seed, or a state file that cannot be read, is refused rather than seeded over", async () => {
    const dir = await newDir();
    await (await startEmulator({ dataDir: dir, clock: clockAt(NOW) })).close();
    const saved = await readFile(path.join(dir, STATE_FILE), "utf8");
    await assert.rejects(
      startEmulator({ dataDir: dir, seed: "another-seed" }),
      /made from the seed "contoso-demo"/,
    );
    await writeFile(path.join(dir, STATE_FILE), saved.slice(0, saved.length / 2));
    await assert.rejects(startEmulator({ dataDir: dir }), /cannot be read/);
    assert.equal(
      await readFile(path.join(dir, STATE_FILE), "utf8"),
      saved.slice(0, saved.length / 2),
      "left as it was",
    );
  });

  test("the certificate stays with the directory, is served at /_emulator/ca.pem, and is renewed near expiry", async () => {
    const dir = await newDir();
    const first = await startEmulator({ dataDir: dir });
    let fingerprint: string;
    try {
      fingerprint = await presentedFingerprint(first);
      const served = await raw(first, "/_emulator/ca.pem");
      assert.equal(served.status, 200);
      assert.equal(served.text, first.caCertPem);
      assert.equal(new X509Certificate(served.text).fingerprint256, fingerprint);
      assert.equal(await readFile(path.join(dir, CA_CERT_FILE), "utf8"), first.caCertPem);
    } finally {
      await first.close();
    }
    const second = await startEmulator({ dataDir: dir });
    try {
      assert.equal(second.caCertPem, first.caCertPem);
      assert.equal(await presentedFingerprint(second), fingerprint);
    } finally {
      await second.close();
    }

    // A certificate within 30 days of its end is replaced by one valid for a year.
    const now = Date.now();
    const expiring = await createCertificate("127.0.0.1", {
      notBefore: now - 300 * DAY,
      notAfter: now + 10 * DAY,
    });
    await writeFile(path.join(dir, CA_CERT_FILE), expiring.cert);
    await writeFile(path.join(dir, CA_KEY_FILE), expiring.key);
    const renewed = await startEmulator({ dataDir: dir });
    try {
      assert.notEqual(renewed.caCertPem, expiring.cert);
      const validTo = Date.parse(new X509Certificate(renewed.caCertPem).validTo);
      assert.ok(validTo > now + 300 * DAY, `valid until ${new Date(validTo).toISOString()}`);
      assert.equal(
        await presentedFingerprint(renewed),
        new X509Certificate(renewed.caCertPem).fingerprint256,
      );
      assert.equal(await readFile(path.join(dir, CA_CERT_FILE), "utf8"), renewed.caCertPem);
    } finally {
      await renewed.close();
    }
  });
});
