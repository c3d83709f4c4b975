/**
 * Request bodies at the edge, against the whole stack on 127.0.0.1: sign-in is checked before a body is
 * read, buffered bodies stop at 1 MB, and the seat CSV streams under its own limit once the caller is signed in.
 */
import assert from "node:assert/strict";
import http from "node:http";
import pino from "pino";
import { fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createServer } from "../../src/server/http/app.ts";
import { authenticate, requireConsented, requireRole } from "../../src/server/http/auth.ts";
import { openTestDatabase } from "../support/database.ts";
import { type Stack, startStack } from "../support/stack.ts";

const MB = 1024 * 1024;
/** The limits the service promises: buffered bodies, the seat CSV (streamed), a bot activity. */
const bodyLimitBytes = MB;
const seatCsvMaxBytes = 50 * MB;
const botActivityMaxBytes = 256 * 1024;

interface Answer {
  status: number;
  text: string;
  /** Bytes of the body written when the answer arrived. */
  sentAtAnswer: number;
  total: number;
  /** Highest growth of this process's RSS (service and client both) while the request ran. */
  rssGrowth: number;
}

/**
 * POSTs a `total`-byte JSON body in 1 MB writes, stopping as soon as the service answers. With
 * `chunked`, no length is declared (so no limit can refuse it from the headers alone).
 */
async function post(
  url: string,
  headers: Record<string, string>,
  total: number,
  options: { chunked?: boolean } = {},
): Promise<Answer> {
  const head = Buffer.from('{"pad":"');
  const tail = Buffer.from('"}');
  const filler = Buffer.alloc(MB, "a");
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    return await new Promise<Answer>((resolve, reject) => {
      const request = http.request(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...headers,
          ...(options.chunked ? {} : { "content-length": String(total) }),
        },
      });
      let sent = 0;
      let answered = false;
      request.on("response", (response) => {
        answered = true;
        const sentAtAnswer = sent;
        const parts: Buffer[] = [];
        response.on("data", (d: Buffer) => parts.push(d));
        response.on("end", () => {
          request.destroy();
          peak = Math.max(peak, process.memoryUsage().rss);
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(parts).toString("utf8"),
            sentAtAnswer,
            total,
            rssGrowth: peak - rss0,
          });
        });
      });
      request.on("error", (error) => {
        if (!answered) reject(error);
      });
      const next = (): Buffer => {
        const left = total - sent;
        if (sent === 0) return head;
        if (left === tail.length) return tail;
        return filler.subarray(0, Math.min(filler.length, left - tail.length));
      };
      const pump = () => {
        while (!answered && sent < total) {
          const chunk = next();
          sent += chunk.length;
          if (!request.write(chunk)) {
            request.once("drain", pump);
            return;
          }
        }
        if (!answered) request.end();
      };
      pump();
    });
  } finally {
    clearInterval(sampler);
  }
}

describe("request bodies", () => {
  let stack: Stack;
  let admin: string;

  beforeAll(async () => {
    // Bot authentication on, as in production: /api/messages wants a Bot Framework token.
    stack = await startStack({ env: { BOT_AUTH: "on" } });
    const consent = await stack.consent();
    assert.ok(consent.status < 400, consent.text);
    admin = await stack.tokenFor(stack.tenants[0]!.adminUpn);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test("an unauthenticated 50 MB POST gets 401 without the RSS growing past a bound", async () => {
    // Warm up the paths (JIT, pools) so the measurement is of the request, not of first use.
    await post(`${stack.baseUrl}/api/bookings`, {}, 1024);
    const total = 50 * MB;
    const bound = 40 * MB;
    for (const [path, headers] of [
      // The seat-plan route also takes the CSV upload: its JSON bodies follow the same rule.
      ["/api/admin/plans", {}],
      ["/api/admin/plans", { "content-type": "text/csv" }],
      ["/api/bookings", {}],
      ["/api/bookings", { authorization: "Bearer not-a-token" }],
      ["/api/messages", {}],
    ] as const) {
      for (const chunked of [false, true]) {
        const what = `${path} ${JSON.stringify(headers)}${chunked ? " chunked" : ""}`;
        const answer = await post(`${stack.baseUrl}${path}`, headers, total, { chunked });
        assert.ok(
          answer.rssGrowth < bound,
          `${what}: RSS grew by ${Math.round(answer.rssGrowth / MB)} MB (bound ${bound / MB} MB)`,
        );
        assert.ok(
          answer.sentAtAnswer < total,
          `${what}: answered only after all ${total} bytes were sent (the body was read before sign-in)`,
        );
        assert.equal(answer.status, 401, `${what}: ${answer.text}`);
      }
    }
    const health = await stack.request("GET", "/healthz");
    assert.equal(health.status, 200);
  });

  test("an authenticated JSON body over 1 MB is refused with 413", async () => {
    for (const [path, headers] of [
      ["/api/bookings", {}],
      ["/api/admin/plans", {}],
    ] as const) {
      for (const chunked of [false, true]) {
        const what = `${path}${chunked ? " chunked" : ""}`;
        const answer = await post(
          `${stack.baseUrl}${path}`,
          { authorization: `Bearer ${admin}`, ...headers },
          bodyLimitBytes + 1024,
          { chunked },
        );
        assert.equal(answer.status, 413, `${what}: ${answer.text}`);
        const { error } = JSON.parse(answer.text);
        assert.equal(error.code, "PAYLOAD_TOO_LARGE", what);
        assert.equal(error.message, "The request body is larger than 1 MB.", what);
        assert.equal(error.details.limitBytes, MB, what);
      }
    }
    // Just under the limit the body is read and judged on its content.
    const under = await post(
      `${stack.baseUrl}/api/bookings`,
      { authorization: `Bearer ${admin}` },
      bodyLimitBytes - 1024,
    );
    assert.equal(under.status, 400, under.text);
    assert.equal(JSON.parse(under.text).error.code, "VALIDATION_FAILED");
  });

  test("a seat CSV larger than the JSON limit streams through after sign-in", async () => {
    // Long display names make the file pass 1 MB with few rows, so the plan stays quick to save.
    const rows = 8_000;
    const lines = ["email,seat_kinds,phone_number,display_name"];
    const name = "x".repeat(100);
    for (let i = 0; i < rows; i++) lines.push(`person${i}@contoso.com,sync,,"Person ${i} ${name}"`);
    const csv = `${lines.join("\r\n")}\r\n`;
    assert.ok(Buffer.byteLength(csv) > bodyLimitBytes, `${Buffer.byteLength(csv)} bytes`);
    const res = await undiciFetch(`${stack.baseUrl}/api/admin/plans`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
      body: csv,
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    assert.equal((JSON.parse(text) as { totalRows: number }).totalRows, rows);
  });

  test("a seat CSV declared over its limit is refused with 413 naming the limit, before it is read", async () => {
    const answer = await post(
      `${stack.baseUrl}/api/admin/plans`,
      { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
      seatCsvMaxBytes + 1,
    );
    assert.equal(answer.status, 413, answer.text);
    const { error } = JSON.parse(answer.text);
    assert.equal(error.code, "PAYLOAD_TOO_LARGE");
    assert.equal(error.message, "The file is larger than 50 MB.");
    assert.ok(answer.sentAtAnswer < answer.total, "answered before the file was sent");
  });

  test("a bot activity over 256 KB is refused with 413", async () => {
    for (const chunked of [false, true]) {
      const answer = await post(
        `${stack.baseUrl}/api/messages`,
        { authorization: "Bearer bot-framework-token" },
        botActivityMaxBytes + 1024,
        { chunked },
      );
      assert.equal(answer.status, 413, answer.text);
      assert.equal(JSON.parse(answer.text).error.message, "The request body is larger than 256 KB.");
    }
  });
});

describe("sign-in checks", () => {
  test("a route that checks sign-in after reading its body is refused when it is declared", async () => {
    const database = await openTestDatabase();
    try {
      for (const hook of ["preParsing", "preValidation", "preHandler"] as const) {
        for (const check of [authenticate, requireConsented, requireRole("owner")]) {
          await assert.rejects(
            createServer({
              config: loadConfig({}),
              logger: pino({ level: "silent" }),
              clock: { now: () => Date.now() },
              database,
              plugins: [(app) => void app.post("/api/late", { [hook]: [check] }, async () => ({ ok: true }))],
            }),
            new RegExp(
              `POST /api/late: authenticate, requireConsented and requireRole belong in onRequest, not ${hook}`,
            ),
          );
        }
      }
      const app = await createServer({
        config: loadConfig({}),
        logger: pino({ level: "silent" }),
        clock: { now: () => Date.now() },
        database,
        plugins: [
          (a) => void a.post("/api/early", { onRequest: [authenticate] }, async () => ({ ok: true })),
        ],
      });
      await app.close();
    } finally {
      await database.close();
    }
  });
});
