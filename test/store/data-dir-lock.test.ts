/**
 * One process per embedded database directory: real processes open one PGlite directory; the second is
 * refused with a message naming the directory and the holder's pid; a lock left by a killed process is
 * taken over.
 */
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, test } from "vitest";
import { LOCK_FILE } from "../../src/store/data-dir-lock.ts";
import { openDatabase } from "../../src/store/db.ts";
import { repoRoot } from "../support/database.ts";

interface Holder {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the first line on stdout (`open <pid>`), or null when the process exits first. */
  readonly firstLine: Promise<string | null>;
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  stderr(): string;
}

function holdPglite(dir: string): Holder {
  const child = spawn(process.execPath, ["--import", "tsx", "test/store/fixtures/hold-pglite.ts", dir], {
    cwd: repoRoot,
    env: process.env,
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const firstLine = new Promise<string | null>((resolve) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    void exited.then(() => resolve(null));
  });
  return { child, firstLine, exited, stderr: () => stderr };
}

describe("PGlite data directory lock", () => {
  test("a second process on the same PGlite data dir is refused, naming the dir and the pid", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "quorum-lock-"));
    const first = holdPglite(dir);
    let second: Holder | undefined;
    try {
      assert.equal(await first.firstLine, `open ${first.child.pid}`, first.stderr());

      second = holdPglite(dir);
      assert.equal(await second.firstLine, null, "the second process did not open the directory");
      const [code] = await second.exited;
      assert.equal(code, 3, `the second process was refused (stderr: ${second.stderr()})`);
      assert.ok(second.stderr().includes(dir), `the refusal names the directory: ${second.stderr()}`);
      assert.ok(
        second.stderr().includes(`pid ${first.child.pid})`),
        `the refusal names the holder's pid ${first.child.pid}: ${second.stderr()}`,
      );
      assert.equal(first.child.exitCode, null, "the first process keeps running");

      // Closing releases the directory: the lock file is gone and a new process opens it.
      first.child.stdin.end();
      assert.deepEqual(await first.exited, [0, null], first.stderr());
      assert.equal(existsSync(path.join(dir, LOCK_FILE)), false);
      const third = holdPglite(dir);
      assert.equal(await third.firstLine, `open ${third.child.pid}`, third.stderr());
      third.child.stdin.end();
      assert.deepEqual(await third.exited, [0, null], third.stderr());
    } finally {
      for (const holder of [first, second])
        if (holder && holder.child.exitCode === null) holder.child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a stale lock from a dead process is taken over", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "quorum-lock-"));
    try {
      // A holder killed without a chance to clean up leaves its lock file behind.
      const killed = holdPglite(dir);
      assert.equal(await killed.firstLine, `open ${killed.child.pid}`, killed.stderr());
      killed.child.kill("SIGKILL");
      await killed.exited;
      const lockFile = path.join(dir, LOCK_FILE);
      assert.equal((await readFile(lockFile, "utf8")).trim(), String(killed.child.pid));

      const database = await openDatabase({ kind: "pglite", dataDir: dir });
      try {
        assert.equal((await readFile(lockFile, "utf8")).trim(), String(process.pid));
        await database.ping();
      } finally {
        await database.close();
      }
      assert.equal(existsSync(lockFile), false, "closing removes the lock");

      // A lock file whose text is not a pid at all is no holder either.
      await writeFile(lockFile, "garbage");
      const again = await openDatabase({ kind: "pglite", dataDir: dir });
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
