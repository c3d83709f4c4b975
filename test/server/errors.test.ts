import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, test } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../src/config.ts";
import { DomainError } from "../../src/core/errors.ts";
import { createServer } from "../../src/server/http/app.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";

describe("error handler", () => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let base: string;
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    const logger = pino({ level: "info" }, { write: (line: string) => logged.push(JSON.parse(line)) });
    app = await createServer({
      config: loadConfig({ LOG_LEVEL: "info" }),
      logger,
      clock: { now: () => Date.now() },
      database,
      plugins: [
        (a) => {
          a.get("/t/domain", async () => {
            throw new DomainError(
              "SEAT_POOL_EXHAUSTED",
              "No licences are left in the sync pool (10 seats).",
              {
                details: { pool: "sync", total: 10 },
              },
            );
          });
          a.get("/t/unknown", async () => {
            throw new Error("database exploded with secret detail");
          });
          a.post("/t/zod", async (request) =>
            z.object({ email: z.email(), count: z.number() }).parse(request.body),
          );
          a.post(
            "/t/schema",
            {
              schema: {
                body: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
              },
            },
            async () => ({ ok: true }),
          );
        },
      ],
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  test("a thrown domain error becomes its catalogue status and body", async () => {
    const res = await fetch(`${base}/t/domain`);
    assert.equal(res.status, 409);
    const body = (await res.json()) as { error: Record<string, unknown> };
    assert.equal(body.error.code, "SEAT_POOL_EXHAUSTED");
    assert.equal(body.error.message, "No licences are left in the sync pool (10 seats).");
    assert.deepEqual(body.error.details, { pool: "sync", total: 10 });
    assert.equal(body.error.requestId, res.headers.get("x-request-id"));
  });

  test("an unknown error is a 500 with a request id, logged, and its message not leaked", async () => {
    const res = await fetch(`${base}/t/unknown`, { headers: { "x-request-id": "req-test-12345" } });
    assert.equal(res.status, 500);
    const body = (await res.json()) as { error: Record<string, unknown> };
    assert.deepEqual(body, {
      error: { code: "INTERNAL", message: "Something went wrong on our side.", requestId: "req-test-12345" },
    });
    const entry = logged.find((l) => l.reqId === "req-test-12345" && l.level === 50);
    assert.ok(entry, "the 500 is logged at error level with the request id");
    assert.match(JSON.stringify(entry), /database exploded/);
  });

  test("validation errors name the field", async () => {
    const zodRes = await fetch(`${base}/t/zod`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "nope", count: 1 }),
    });
    assert.equal(zodRes.status, 400);
    const zodBody = (await zodRes.json()) as { error: { code: string; message: string } };
    assert.equal(zodBody.error.code, "VALIDATION_FAILED");
    assert.match(zodBody.error.message, /^email: /);

    const schemaRes = await fetch(`${base}/t/schema`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({}),
    });
    assert.equal(schemaRes.status, 400);
    const schemaBody = (await schemaRes.json()) as { error: { code: string; message: string } };
    assert.equal(schemaBody.error.code, "VALIDATION_FAILED");
    assert.match(schemaBody.error.message, /name/);
  });

  test("unknown routes answer NOT_FOUND in the same shape", async () => {
    const res = await fetch(`${base}/nowhere`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    assert.equal(body.error.code, "NOT_FOUND");
    assert.ok(body.error.requestId.length > 0);
  });

  test("/readyz is ready with the database up and fails once it is closed", async () => {
    const ok = await fetch(`${base}/readyz`);
    assert.equal(ok.status, 200);
    const okBody = (await ok.json()) as { checks: { name: string; ok: boolean }[] };
    assert.deepEqual(
      okBody.checks.find((c) => c.name === "database"),
      { name: "database", ok: true, engine: database.kind },
    );
    assert.equal((await fetch(`${base}/healthz`)).status, 200);

    await database.close();
    const down = await fetch(`${base}/readyz`);
    assert.equal(down.status, 503);
    const downBody = (await down.json()) as { status: string; checks: { name: string; ok: boolean }[] };
    assert.equal(downBody.status, "not_ready");
    assert.equal(downBody.checks.find((c) => c.name === "database")?.ok, false);
  });
});
