import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { Agent, fetch as undiciFetch } from "undici";
import { test } from "vitest";
import type { AvailabilityResponse } from "../../src/api-contract/availability.ts";
import type { BookingResponse } from "../../src/api-contract/bookings.ts";
import { loadConfig } from "../../src/config.ts";
import { transactionIdFor } from "../../src/core/booking/model.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { emulatorDataDir, type Product } from "../../src/server/compose.ts";
import { testClock } from "../support/clock.ts";
import { runConsentFlow } from "../support/consent-flow.ts";
import { openTestDatabase } from "../support/database.ts";
import { listenProduct } from "../support/product.ts";
import { appToken, control, graphClient, presentedFingerprint } from "./support.ts";

const { contoso } = DEMO;
const SOFIA = contoso.users.sofia;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

test("emulator mode starts the tenant emulator with the product and reports it in /readyz", async () => {
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    M365_MODE: "emulator",
    EMULATOR_PORT: "0",
    LOG_LEVEL: "silent",
  });
  const database = await openTestDatabase();
  const product = await listenProduct(config, { database, logger: pino({ level: "silent" }) });
  try {
    const emulator = product.emulator;
    assert.ok(emulator, "product.emulator is set in emulator mode");
    assert.match(emulator.graphBaseUrl, /^https:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    assert.ok(product.startupLines.some((l) => l.includes(emulator.graphBaseUrl)));
    assert.ok(product.startupLines.some((l) => l.includes(`login authority ${emulator.authorityHost}`)));
    const ready = await fetch(`${product.url}/readyz`);
    const body = (await ready.json()) as {
      checks: { name: string; ok: boolean; graphBaseUrl?: string; authority?: string }[];
    };
    const check = body.checks.find((c) => c.name === "emulator");
    assert.deepEqual(
      { ok: check?.ok, graphBaseUrl: check?.graphBaseUrl, authority: check?.authority },
      { ok: true, graphBaseUrl: emulator.graphBaseUrl, authority: emulator.authorityHost },
    );
    // The emulator serves the app registration from config: a consented tenant hands out tokens for it.
    await control(emulator, "POST", `/tenants/${DEMO.contoso.id}/consent`, {});
    const token = await appToken(emulator, DEMO.contoso.id);
    const me = await graphClient(emulator, async () => token)
      .api(`/users/${DEMO.contoso.admin.upn}`)
      .get();
    assert.equal(me.id, DEMO.contoso.admin.id);
  } finally {
    await product.stop();
  }
});

/** The PEM the service's start page links as the emulator's certificate. */
async function linkedCertificate(product: Product): Promise<string> {
  const page = await (await fetch(`${product.url}/`)).text();
  const href = /<a href="([^"]+\.pem)"/.exec(page)?.[1];
  assert.ok(href, "the start page links a PEM");
  assert.match(page, /trusted root certification authority/);
  const response = await fetch(new URL(href, product.url));
  assert.equal(response.status, 200);
  return response.text();
}

test("a restart of the whole product on one DATA_DIR keeps consent, a booking's event and the emulator's certificate", async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "quorum-product-"));
  const clock = testClock();
  const config = loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dataDir,
    M365_MODE: "emulator",
    EMULATOR_PORT: "0",
    LOG_LEVEL: "silent",
    DIRECTORY_ROUND_CRON: "off",
  });
  const start = () =>
    listenProduct(config, {
      logger: pino({ level: "silent" }),
      clock,
      emulatorDataDir: emulatorDataDir(config),
    });
  let product: Product | undefined = await start();
  try {
    const first = product;
    const emulator = first.emulator!;
    const call = async <T>(method: string, url: string, options: { key?: string; body?: unknown } = {}) => {
      const response = await undiciFetch(`${product!.url}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${await product!.emulator!.signInToken(contoso.id, SOFIA.upn)}`,
          ...(options.key ? { "idempotency-key": options.key } : {}),
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text) as T, text };
    };
    const agent = new Agent({ connect: { ca: [emulator.caCertPem] } });
    try {
      const consent = await runConsentFlow({ productUrl: first.url, emulator, agent, tenantId: contoso.id });
      assert.ok(consent.status < 400, await consent.text());
    } finally {
      await agent.close();
    }
    const sync = await undiciFetch(`${first.url}/api/admin/directory/sync`, {
      method: "POST",
      headers: { authorization: `Bearer ${await emulator.signInToken(contoso.id, contoso.admin.upn)}` },
    });
    assert.equal(sync.status, 200, await sync.text());

    // A sure 30-minute slot for Sofia two weeks ahead, booked.
    let day = Math.floor((clock.now() + 14 * DAY) / DAY) * DAY;
    while (new Date(day).getUTCDay() !== 2) day += DAY;
    const query = new URLSearchParams({
      start: iso(day),
      end: iso(day + 2 * DAY),
      durationMinutes: "30",
      timeZone: "UTC",
      required: SOFIA.upn,
    });
    const availability = await call<AvailabilityResponse>("GET", `/api/availability?${query}`);
    assert.equal(availability.status, 200, availability.text);
    const slot = availability.body.suggestions.find((s) => s.uncertain === 0);
    assert.ok(slot, "a free slot for Sofia");
    const booked = await call<BookingResponse>("POST", "/api/bookings", {
      key: "kept-across-restarts",
      body: { subject: "Kept across restarts", start: iso(slot.start), end: iso(slot.end), timeZone: "UTC" },
    });
    assert.equal(booked.status, 201, booked.text);
    assert.equal(booked.body.status, "confirmed");
    const pem = await linkedCertificate(first);
    assert.equal(pem, emulator.caCertPem);
    assert.equal(new X509Certificate(pem).fingerprint256, await presentedFingerprint(emulator));
    await first.stop();
    product = undefined;

    product = await start();
    const again = product.emulator!;
    assert.equal(again.url, emulator.url, "the emulator listens where it did");
    assert.equal(await linkedCertificate(product), pem, "the same certificate after the restart");
    assert.equal(await presentedFingerprint(again), new X509Certificate(pem).fingerprint256);
    const read = await call<BookingResponse>("GET", `/api/bookings/${booked.body.id}`);
    assert.deepEqual([read.body.status, read.body.eventId], ["confirmed", booked.body.eventId]);
    // Consent held (no RECONNECT_NEEDED) and the event is there to edit.
    const moved = await call<BookingResponse>("PATCH", `/api/bookings/${booked.body.id}`, {
      body: { subject: "Kept and renamed" },
    });
    assert.equal(moved.status, 200, moved.text);
    const token = await appToken(again, contoso.id);
    const filter = encodeURIComponent(
      `transactionId eq '${transactionIdFor(contoso.id, SOFIA.id, "kept-across-restarts")}'`,
    );
    const events = await graphClient(again, async () => token)
      .api(`/users/${SOFIA.upn}/events?$filter=${filter}`)
      .get();
    assert.deepEqual(
      events.value.map((e: { id: string; subject: string }) => [e.id, e.subject]),
      [[booked.body.eventId, "Kept and renamed"]],
    );
  } finally {
    await product?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
