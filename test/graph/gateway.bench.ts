/**
 * Graph gateway benchmarks against the emulator on 127.0.0.1:
 *  1. overhead per Graph call: gateway (SDK client + retry + mailbox limiter + auth + undici transport)
 *     vs a bare undici `fetch` with a keep-alive pool and a ready token, and vs the floor (undici's
 *     dispatcher API without the SDK), sequential GETs;
 *  2. concurrent throughput over 8 mailboxes (32 in flight): gateway vs bare fetch;
 *  3. requests saved by `$batch` when reading 100 mailboxes, and the wall time of both ways.
 */
import { Agent, fetch as undiciFetch } from "undici";
import { latencies, opsPerSecond, reportBench } from "../support/bench.ts";
import { startStack } from "../support/stack.ts";

const stack = await startStack({ emulator: { usersPerTenant: 120 } });
try {
  const consent = await stack.consent();
  if (consent.status !== 200) throw new Error(`consent failed: ${consent.text}`);
  const m365 = stack.product.m365!;
  const tenantId = stack.tenants[0]!.id;
  const api = m365.graph.forTenant(tenantId);
  const users = await api.get<{ value: { id: string }[] }>("/users?$top=999&$select=id");
  const ids = users.value.map((u) => u.id);
  if (ids.length < 100) throw new Error(`need 100 mailboxes, have ${ids.length}`);
  const { token } = await m365.tokens.appOnly(tenantId);
  const agent = new Agent({ connect: { ca: [stack.emulator.caCertPem] }, keepAliveTimeout: 30_000 });
  const bare = async (id: string) => {
    const res = await undiciFetch(`${stack.emulator.graphBaseUrl}/users/${id}?$select=id,displayName`, {
      headers: { authorization: `Bearer ${token}` },
      dispatcher: agent,
    });
    if (!res.ok) throw new Error(`bare fetch ${res.status}`);
    return res.json();
  };
  /** The floor: undici's dispatcher API directly (what the gateway's transport uses). */
  const floor = async (id: string) => {
    const url = new URL(`${stack.emulator.graphBaseUrl}/users/${id}?$select=id,displayName`);
    const res = await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.statusCode !== 200) throw new Error(`floor request ${res.statusCode}`);
    return res.body.json();
  };
  const viaGateway = (id: string) => api.get(`/users/${id}?$select=id,displayName`);

  // The machine is shared: both sides are measured in alternating rounds and the medians compared.
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const ROUNDS = 7;

  // 1. Sequential latency.
  let k = 0;
  await latencies(() => viaGateway(ids[k++ % ids.length]!), 200);
  await latencies(() => bare(ids[k++ % ids.length]!), 200);
  const oursP50: number[] = [];
  const baseP50: number[] = [];
  const floorP50: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    oursP50.push((await latencies(() => viaGateway(ids[k++ % ids.length]!), 200)).p50);
    baseP50.push((await latencies(() => bare(ids[k++ % ids.length]!), 200)).p50);
    floorP50.push((await latencies(() => floor(ids[k++ % ids.length]!), 200)).p50);
  }
  const ours = median(oursP50);
  const base = median(baseP50);
  reportBench({
    name: "graph gateway: latency per GET (median of p50s)",
    unit: "ms",
    ours,
    baseline: base,
    baselineName: "bare undici fetch, keep-alive, token in hand",
    higherIsBetter: false,
    notes: `overhead ${(ours - base).toFixed(3)} ms/call; ${ROUNDS} alternating rounds of 200 calls`,
  });

  reportBench({
    name: "graph gateway: latency per GET vs undici dispatcher floor (median of p50s)",
    unit: "ms",
    ours,
    baseline: median(floorP50),
    baselineName: "undici Agent.request, no SDK, no middleware",
    higherIsBetter: false,
    notes: `the SDK client + middleware chain cost ${(ours - median(floorP50)).toFixed(3)} ms/call`,
  });

  // 2. Concurrent throughput, 8 mailboxes, 32 in flight (4 per mailbox: the Graph limit).
  const eight = ids.slice(0, 8);
  const burst = (call: (id: string) => Promise<unknown>) => () =>
    Promise.all(Array.from({ length: 32 }, (_, i) => call(eight[i % 8]!)));
  const oursRates: number[] = [];
  const baseRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    oursRates.push((await opsPerSecond(burst(viaGateway), 600)) * 32);
    baseRates.push((await opsPerSecond(burst(bare), 600)) * 32);
  }
  reportBench({
    name: "graph gateway: concurrent GETs over 8 mailboxes (median)",
    unit: "req/s",
    ours: median(oursRates),
    baseline: median(baseRates),
    baselineName: "bare undici fetch (no limiter, no retry)",
    higherIsBetter: true,
    notes: `${ROUNDS} alternating rounds of 600 ms`,
  });

  // 3. Batching 100 mailboxes.
  await stack.emulatorRequest("DELETE", "/_emulator/throttling");
  const hundred = ids.slice(0, 100);
  const t0 = performance.now();
  const batched = await m365.graph.batch(
    tenantId,
    hundred.map((id, i) => ({ id: String(i), method: "GET" as const, url: `/users/${id}?$select=id` })),
  );
  const batchMs = performance.now() - t0;
  if (batched.some((r) => r.status !== 200)) throw new Error("a batched read failed");
  const t1 = performance.now();
  await Promise.all(hundred.map((id) => api.get(`/users/${id}?$select=id`)));
  const singleMs = performance.now() - t1;
  const httpBatched = Math.ceil(hundred.length / 20);
  reportBench({
    name: "graph gateway: HTTP requests to read 100 mailboxes",
    unit: "requests",
    ours: httpBatched,
    baseline: hundred.length,
    baselineName: "one GET per mailbox",
    higherIsBetter: false,
    notes: `${hundred.length - httpBatched} requests saved`,
  });
  reportBench({
    name: "graph gateway: wall time to read 100 mailboxes",
    unit: "ms",
    ours: batchMs,
    baseline: singleMs,
    baselineName: "100 concurrent GETs through the gateway",
    higherIsBetter: false,
  });
  await agent.close();
} finally {
  await stack.stop();
}
