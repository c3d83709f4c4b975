/**
 * Bot command-to-reply latency through the service and the emulator: a Teams activity posted to
 * /api/messages until the reply reaches the local Bot Connector. Ours: `availability` with five people
 * (directory resolution, getSchedule on the emulator, slot finding, card). Baselines in the same run:
 * `help` through the same path (the bot's fixed cost), and the same availability question asked of the
 * HTTP API directly (what the chat layer adds).
 */
import type { DirectorySyncResponse } from "../../src/api-contract/seats.ts";
import { reportBench } from "../support/bench.ts";
import { startStack } from "../support/stack.ts";
import { startConnector } from "./connector.ts";
import { botChat, people } from "./harness.ts";

const ROUNDS = Number(process.env.QUORUM_BENCH_ROUNDS ?? 40);
const WARMUP = 5;
const DAY = 86_400_000;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function time(rounds: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const connector = await startConnector();
const stack = await startStack();
try {
  const consent = await stack.consent();
  if (consent.status >= 400) throw new Error(`consent failed: ${consent.status}`);
  const adminToken = await stack.tokenFor(stack.tenants[0]!.adminUpn);
  const sync = await stack.request<DirectorySyncResponse>("POST", "/api/admin/directory/sync", {
    token: adminToken,
  });
  if (sync.status !== 200) throw new Error(`directory sync failed: ${sync.status}`);
  const chat = botChat(stack.baseUrl, connector, stack.tenants[0]!.id);
  const five = "ana, sofia, lucas oliveira, claire and james";

  const availability = await time(ROUNDS, async () => {
    const [reply] = await chat.say(people.erik, `availability ${five} next week`);
    if (!reply?.body.attachments?.[0]) throw new Error(`no card: ${JSON.stringify(reply?.body)}`);
  });
  const help = await time(ROUNDS, async () => {
    const [reply] = await chat.say(people.erik, "help");
    if (!reply?.body.attachments?.[0]) throw new Error("no help card");
  });

  const token = await stack.tokenFor(people.erik.upn);
  const start = Date.now() + DAY;
  const q = new URLSearchParams({
    start: new Date(start).toISOString(),
    end: new Date(start + 7 * DAY).toISOString(),
    durationMinutes: "30",
    timeZone: people.erik.timeZone,
    includeGrid: "false",
  });
  for (const p of [people.ana, people.sofia, people.lucas, people.claire, people.james])
    q.append("required", p.mail);
  const api = await time(ROUNDS, async () => {
    const res = await stack.request("GET", `/api/availability?${q}`, { token });
    if (res.status !== 200) throw new Error(`availability API ${res.status}: ${res.text}`);
  });

  const notes = `${ROUNDS} rounds after ${WARMUP} warm-up, sequential, service + emulator on 127.0.0.1`;
  for (const p of [50, 95]) {
    reportBench({
      name: `bot availability (5 people) reply latency p${p}`,
      unit: "ms",
      ours: percentile(availability, p),
      baseline: percentile(help, p),
      baselineName: `bot help reply p${p}`,
      higherIsBetter: false,
      notes,
    });
  }
  reportBench({
    name: "bot availability (5 people) reply latency p50 vs the HTTP API",
    unit: "ms",
    ours: percentile(availability, 50),
    baseline: percentile(api, 50),
    baselineName: "GET /api/availability (5 people) p50",
    higherIsBetter: false,
    notes,
  });
} finally {
  await stack.stop();
  await connector.close();
}
