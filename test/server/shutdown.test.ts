import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { repoRoot } from "../support/database.ts";

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
  try {
    const lines = createInterface({ input: child.stdout });
    let url = "";
    for await (const line of lines) {
      if (line.startsWith("{")) {
        url = (JSON.parse(line) as { url: string }).url;
        break;
      }
    }
    assert.ok(url, `the fixture printed its URL (stderr: ${stderr})`);

    const inFlight = fetch(`${url}/slow?ms=1500`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await sleep(300);
    child.kill("SIGTERM");
    await sleep(200);
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
