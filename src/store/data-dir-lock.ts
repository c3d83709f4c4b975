/**
 * One process per embedded database directory. PGlite has no server in front of its files: two processes
 * opening one directory each keep their own buffers and overwrite each other's writes. The lock is a file
 * in the directory holding the holder's pid, created atomically (written aside, then hard-linked into
 * place, which fails when the file exists). A lock whose process no longer lives (killed, crashed) is
 * taken over; the lock is released on close and when the process exits.
 */
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export const LOCK_FILE = "quorum.lock";

/** Lock files this process holds (a second open in the same process is refused as well). */
const held = new Set<string>();

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      pid === process.pid
        ? `The database directory ${dataDir} is already open in this process (pid ${pid}).`
        : `The database directory ${dataDir} is in use by another Quorum process (pid ${pid}). ` +
            "Two processes on one embedded database overwrite each other's writes: stop that process " +
            "first, or start this one with another DATA_DIR.",
    );
    this.name = "DataDirInUseError";
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still this process's; safe to call more than once. */
  release(): void;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/** The pid a lock file names: undefined when there is no file, NaN when its text is not a pid. */
function holderOf(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (errno(error) === "ENOENT") return undefined;
    throw error;
  }
  return /^\d+\s*$/.test(text) ? Number(text.trim()) : Number.NaN;
}

/**
 * Whether the holder may still be using the directory. Our own pid and our parent's are not holders: a
 * lock naming them was left by an earlier process that had the same pid (pid 1 in a restarted container),
 * since this process's own locks are in `held`.
 */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || pid === process.ppid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists under another user.
    return errno(error) === "EPERM";
  }
}

/** Creates the lock file with our pid in it, complete or not at all; false when a lock file exists. */
function tryCreate(file: string): boolean {
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if (errno(error) === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/** Moves a dead holder's lock out of the way, unless another process replaced it meanwhile. */
function takeOver(file: string, deadPid: number): void {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    // Another process moved it first.
    if (errno(error) === "ENOENT") return;
    throw error;
  }
  const moved = holderOf(aside);
  if (!(moved === deadPid || (Number.isNaN(moved) && Number.isNaN(deadPid)))) {
    // Between our read and the rename, another process took the stale lock over: its lock goes back.
    try {
      linkSync(aside, file);
    } catch (error) {
      if (errno(error) !== "EEXIST") throw error;
      // A third process created a lock in that instant; it holds the directory, and the one we moved
      // will find out when it checks the file on release.
    }
  }
  unlinkSync(aside);
}

/** Locks `dataDir` (which must exist) for this process, or throws DataDirInUseError naming the holder. */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) throw new DataDirInUseError(dir, process.pid);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file)) {
      held.add(file);
      const release = () => {
        if (!held.delete(file)) return;
        process.off("exit", release);
        if (holderOf(file) !== process.pid) return;
        try {
          unlinkSync(file);
        } catch (error) {
          if (errno(error) !== "ENOENT") throw error;
        }
      };
      process.on("exit", release);
      return { file, release };
    }
    const holder = holderOf(file);
    if (holder === undefined) continue;
    if (alive(holder)) throw new DataDirInUseError(dir, holder);
    takeOver(file, holder);
  }
  throw new Error(`Could not lock the database directory ${dir}: its lock file ${file} keeps changing.`);
}
