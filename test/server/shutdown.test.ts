import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { test } from "vitest";
import { repoRoot } from "../support/database.ts";
import { until } from "../support/until.ts";

test("SIGTERM lets an in-flight request finish, refuses new work, and exits cleanly", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "test/server/fixtures/slow-server.ts"], {
    cwd: repoRoot,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = once(child, "exit");
  const printed: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith("{")) printed.push(JSON.parse(line) as Record<string, unknown>);
  });
  try {
    await until(
      async () => printed.some((p) => "url" in p),
      `the fixture prints its URL (stderr: ${stderr})`,
      60_000,
    );
    const url = String(printed.find((p) => "url" in p)?.url);

    const inFlight = fetch(`${url}/slow?ms=1500`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await until(async () => printed.some((p) => "slowStarted" in p), "the slow request is in flight");
    child.kill("SIGTERM");
    await until(
      async () => /shutting down: draining in-flight requests/.test(stderr),
      "the service starts draining",
    );
    // New connections are refused (or answered 503) while draining.
    const late = await fetch(`${url}/healthz`).then(
      (r) => r.status,
      () => "refused",
    );
    assert.ok(late === "refused" || late === 503, `a new request during shutdown got ${late}`);

    const result = await inFlight;
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { finished: true, ms: 1500 });

    const [code] = await exited;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /shutting down: draining in-flight requests/);
    assert.match(stderr, /"msg":"stopped"/);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});
