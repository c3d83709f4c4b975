import assert from "node:assert/strict";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, beforeEach, describe, test } from "vitest";
import { DEMO } from "../../src/emulator/seed.ts";
import { GraphError } from "../../src/graph/errors.ts";
import { createGraphGateway, type GraphGateway, packBatches } from "../../src/graph/gateway.ts";
import { type Stack, startStack } from "../support/stack.ts";

const { contoso } = DEMO;
const people = [
  contoso.users.ana,
  contoso.users.erik,
  contoso.users.james,
  contoso.users.lucas,
  contoso.users.sofia,
];

interface ThrottleStat {
  mailbox: string;
  maxConcurrent: number;
  requests: number;
  throttled: number;
}

describe("Graph gateway against the emulator", () => {
  let stack: Stack;
  let graph: GraphGateway;
  /** A gateway with short retry settings, for tests that exhaust retries. */
  let impatient: GraphGateway;

  beforeAll(async () => {
    stack = await startStack();
    assert.equal((await stack.consent()).status, 200);
    graph = stack.product.m365!.graph;
    impatient = createGraphGateway({
      endpoints: stack.product.m365!.endpoints,
      tokens: stack.product.m365!.tokens,
      logger: stack.product.logger,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });
  });
  afterAll(async () => {
    await impatient?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    assert.equal((await stack.emulatorRequest("DELETE", "/_emulator/faults")).status, 204);
    assert.equal((await stack.emulatorRequest("DELETE", "/_emulator/throttling")).status, 204);
  });

  const addFault = async (rule: Record<string, unknown>) => {
    const res = await stack.emulatorRequest("POST", "/_emulator/faults", { tenantId: contoso.id, ...rule });
    assert.equal(res.status, 201, res.text);
  };
  const stats = async () =>
    (await stack.emulatorRequest<{ value: ThrottleStat[] }>("GET", "/_emulator/throttling")).body.value;
  const faultsLeft = async () =>
    (await stack.emulatorRequest<{ value: unknown[] }>("GET", "/_emulator/faults")).body.value;

  test("control: without the gateway, parallel requests exceed 4 per mailbox and get throttled", async () => {
    // The slow mailbox holds each request 300 ms: 16 requests sent at once overlap however loaded the machine is.
    await addFault({ mailbox: contoso.users.ana.id, latencyMs: 300 });
    const { token } = await stack.product.m365!.tokens.appOnly(contoso.id);
    const agent = new Agent({ connect: { ca: [stack.emulator.caCertPem] } });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 16 }, async () => {
          const res = await undiciFetch(`${stack.emulator.graphBaseUrl}/users/${contoso.users.ana.id}`, {
            headers: { authorization: `Bearer ${token}` },
            dispatcher: agent,
          });
          await res.arrayBuffer();
          return res.status;
        }),
      );
      assert.ok(statuses.includes(429), `statuses ${statuses.join(",")}`);
      const ana = (await stats()).find((s) => s.mailbox === contoso.users.ana.id);
      assert.ok((ana?.throttled ?? 0) > 0, JSON.stringify(ana));
    } finally {
      await agent.close();
    }
  });

  test("a 429 storm, 503 and 500 bursts and dropped connections are ridden out: nothing lost, ≤4 per mailbox", async () => {
    await addFault({ latencyMs: 15 });
    await addFault({ mailbox: contoso.users.ana.id, status: 429, retryAfterSeconds: 0.25, count: 10 });
    await addFault({ mailbox: contoso.users.erik.id, status: 503, retryAfterSeconds: 0.1, count: 6 });
    await addFault({ mailbox: contoso.users.james.id, status: 500, count: 6 });
    await addFault({ mailbox: contoso.users.lucas.id, status: 502, count: 3 });
    await addFault({ mailbox: contoso.users.sofia.id, drop: true, count: 3 });

    const api = graph.forTenant(contoso.id);
    const calls = people.flatMap((p) => Array.from({ length: 12 }, (_, i) => ({ id: p.id, i })));
    const results = await Promise.all(
      calls.map(({ id }) =>
        api.get<{ id: string; displayName: string }>(`/users/${id}?$select=id,displayName`),
      ),
    );
    assert.equal(results.length, calls.length);
    results.forEach((user, k) => {
      assert.equal(user.id, calls[k]!.id);
    });
    const left = await faultsLeft();
    assert.equal(left.length, 1, `every storm fired to its end; left: ${JSON.stringify(left)}`);
    const observed = await stats();
    for (const p of people)
      assert.ok(
        observed.some((s) => s.mailbox === p.id),
        `emulator saw ${p.upn}`,
      );
    for (const s of observed) {
      assert.ok(s.maxConcurrent <= 4, `mailbox ${s.mailbox} saw ${s.maxConcurrent} concurrent requests`);
      assert.equal(s.throttled, 0, `mailbox ${s.mailbox} was throttled for concurrency`);
    }
    // The limit was under pressure (requests queued for a slot) and never exceeded on our side either.
    for (const p of people) {
      const mine = graph.limiter.stats().find((s) => s.key === `${contoso.id}|users/${p.id}`);
      assert.ok(mine, `limiter used for ${p.upn}`);
      assert.equal(mine.peak, 4);
      assert.ok(mine.queued > 0);
      assert.equal(mine.active, 0);
    }
  });

  test("a failure is a GraphError with status, Graph code and request-id, never an empty result", async () => {
    const api = graph.forTenant(contoso.id);
    await assert.rejects(api.get("/users/00000000-0000-0000-0000-00000000beef"), (error: unknown) => {
      assert.ok(error instanceof GraphError, String(error));
      assert.equal(error.status, 404);
      assert.ok(error.code.length > 0 && error.code !== "Http404", error.code);
      assert.ok(error.requestId, "request-id kept");
      assert.ok(error.clientRequestId, "client-request-id sent");
      return true;
    });
    await addFault({ path: "/users", status: 500, count: 100 });
    await assert.rejects(impatient.forTenant(contoso.id).get("/users?$top=1"), (error: unknown) => {
      assert.ok(error instanceof GraphError);
      assert.equal(error.status, 500);
      assert.equal(error.attempts, 3);
      return true;
    });
  });

  test("the pager follows nextLink to the end; a failed page mid-way is surfaced", async () => {
    const all = await graph
      .forTenant(contoso.id)
      .get<{ value: { id: string }[] }>("/users?$top=999&$select=id");
    const seen: string[] = [];
    let pages = 0;
    for await (const page of graph.pages<{ id: string }>(contoso.id, "/users?$top=7&$select=id")) {
      pages++;
      seen.push(...page.value.map((u) => u.id));
    }
    assert.ok(pages > 1, `${pages} pages`);
    assert.deepEqual([...seen].sort(), all.value.map((u) => u.id).sort());

    const iterator = impatient.pages<{ id: string }>(contoso.id, "/users?$top=7&$select=id");
    const first = await iterator.next();
    assert.equal(first.done, false);
    await addFault({ path: "/users", status: 503, retryAfterSeconds: 0.01, count: 100 });
    await assert.rejects(
      iterator.next(),
      (error: unknown) => error instanceof GraphError && error.status === 503,
    );
  });

  test("a POST is not re-sent after a 500 unless the caller marks it idempotent (transactionId)", async () => {
    const api = graph.forTenant(contoso.id);
    const event = (transactionId: string) => ({
      subject: "Gateway retry test",
      start: { dateTime: "2026-12-01T10:00:00", timeZone: "UTC" },
      end: { dateTime: "2026-12-01T10:30:00", timeZone: "UTC" },
      transactionId,
    });
    const path = `/users/${contoso.users.lucas.id}/events`;
    await addFault({ mailbox: contoso.users.lucas.id, method: "POST", status: 500, count: 1 });
    await assert.rejects(api.post(path, event("gw-retry-1")), (error: unknown) => {
      assert.ok(error instanceof GraphError);
      assert.equal(error.status, 500);
      assert.equal(error.attempts, 1);
      return true;
    });
    await addFault({ mailbox: contoso.users.lucas.id, method: "POST", status: 500, count: 1 });
    const created = await api.post<{ id: string; subject: string }>(path, event("gw-retry-2"), {
      idempotent: true,
    });
    assert.equal(created.subject, "Gateway retry test");
    assert.deepEqual(await faultsLeft(), []);
    await api.delete(`${path}/${encodeURIComponent(created.id)}`);
  });

  test("a request that outlives its timeout is a Timeout GraphError after the retries", async () => {
    await addFault({ mailbox: contoso.users.sofia.id, latencyMs: 1500, count: 3 });
    await assert.rejects(
      impatient.forTenant(contoso.id).get(`/users/${contoso.users.sofia.id}`, { timeoutMs: 150 }),
      (error: unknown) => {
        assert.ok(error instanceof GraphError, String(error));
        assert.equal(error.status, 0);
        assert.equal(error.code, "Timeout");
        assert.equal(error.attempts, 3);
        return true;
      },
    );
  });

  test("links outside the Graph base URL are refused (tokens never leave)", async () => {
    await assert.rejects(
      graph.forTenant(contoso.id).get("https://evil.example.com/v1.0/users"),
      (error: unknown) => error instanceof GraphError && error.code === "UntrustedLink",
    );
  });

  test("batch: 45 requests in 3 batches, throttled items retried by the gateway, per-item results in order", async () => {
    await addFault({ mailbox: contoso.users.ana.id, status: 429, retryAfterSeconds: 0.1, count: 4 });
    const ids = Array.from({ length: 45 }, (_, i) => people[i % people.length]!.id);
    const requests = ids.map((id, i) => ({
      id: `r${i}`,
      method: "GET" as const,
      url: `/users/${id}?$select=id`,
    }));
    requests.push({ id: "missing", method: "GET", url: "/users/00000000-0000-0000-0000-00000000beef" });
    const results = await graph.batch<{ id: string }>(contoso.id, requests);
    assert.equal(results.length, 46);
    results.slice(0, 45).forEach((r, i) => {
      assert.equal(r.id, `r${i}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.id, ids[i]);
    });
    const missing = results[45]!;
    assert.equal(missing.status, 404);
    assert.ok(missing.error instanceof GraphError);
    assert.deepEqual(await faultsLeft(), [], "the 429 storm was hit and ridden out");
  });
});

describe("batch packing", () => {
  test("at most 20 per batch, dependsOn chains kept together, order kept", () => {
    const requests = Array.from({ length: 45 }, (_, i) => ({
      id: String(i),
      method: "GET" as const,
      url: `/users/u${i}`,
      ...(i >= 15 && i <= 24 && i !== 15 ? { dependsOn: [String(i - 1)] } : {}),
    }));
    const batches = packBatches(requests);
    assert.ok(batches.every((b) => b.length <= 20));
    assert.deepEqual(
      batches.flat().map((r) => r.id),
      requests.map((r) => r.id),
    );
    const chain = batches.find((b) => b.some((r) => r.id === "15"))!;
    for (let i = 15; i <= 24; i++)
      assert.ok(
        chain.some((r) => r.id === String(i)),
        `chain member ${i}`,
      );
    assert.throws(() =>
      packBatches(
        Array.from({ length: 21 }, (_, i) => ({
          id: String(i),
          method: "GET" as const,
          url: "/me",
          ...(i > 0 ? { dependsOn: [String(i - 1)] } : {}),
        })),
      ),
    );
  });
});
