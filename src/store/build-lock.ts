import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { IndexBusyError } from "../domain/errors";

/** The lock file inside an index folder: the JSON of a `LockHolder`. */
export const LOCK_FILE = "LOCK";

interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** Folders this process holds the lock of: a lock file naming our own pid is ours only if listed here. */
const heldHere = new Set<string>();

/**
 * A lock file whose content cannot be read yet may belong to a build that has just created it;
 * after this long it is taken for the leftover of a build killed between creating and writing it.
 */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

/**
 * Takes the build lock of an index folder, or throws `IndexBusyError` when a live process holds it.
 *
 * Why a lock: the start of a build removes every staging folder and temporary file left in the
 * folder, whatever its age (a killed build cannot clean up after itself). That is only safe when
 * no other build is writing there: the bot's `/reindex` and an `npm run ingest` may share a folder.
 * Two builds at once were never useful either (the later CURRENT simply won), so the second one is
 * told who is writing instead.
 *
 * The lock is a file created exclusively (`wx`) holding the pid and host. One left by a killed
 * process is stale and taken over: on this host its pid is no longer alive, or it is our own pid
 * but not a lock this process took (a restarted container reuses pid 1). A lock from another host
 * (a shared folder) is never taken over. Pid reuse by an unrelated live process would make a
 * stale lock look held: the build then refuses with the pid, and removing `LOCK` by hand fixes it.
 *
 * @returns release: removes the lock (idempotent).
 */
export async function acquireBuildLock(dir: string): Promise<{ release: () => Promise<void> }> {
  const file = path.join(dir, LOCK_FILE);
  const key = path.resolve(dir);
  // Checked and claimed before the first await: two builds started together in this process must
  // not both see the lock free (the file alone cannot tell them apart, they share a pid).
  if (heldHere.has(key)) throw new IndexBusyError(dir, `this process, pid ${process.pid}`);
  heldHere.add(key);
  try {
    await fs.mkdir(dir, { recursive: true });
    await createLockFile(dir, file);
  } catch (error) {
    heldHere.delete(key);
    throw error;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await fs.rm(file, { force: true });
      heldHere.delete(key);
    },
  };
}

async function createLockFile(dir: string, file: string): Promise<void> {
  const me: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify(me), { flag: "wx" });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw busyOr(error, dir, file);
    }
    const holder = await readHolder(file);
    if (holder === "gone") continue;
    if (holder === "unreadable" || isLive(holder)) throw new IndexBusyError(dir, describe(holder));
    // Stale: remove it and try once more; if another build takes it meanwhile, the retry says so.
    await fs.rm(file, { force: true });
  }
}

/** A second EEXIST after taking over a stale lock: someone else was quicker. */
function busyOr(error: unknown, dir: string, file: string): unknown {
  return (error as NodeJS.ErrnoException).code === "EEXIST" ? new IndexBusyError(dir, `see ${file}`) : error;
}

async function readHolder(file: string): Promise<LockHolder | "gone" | "unreadable"> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([fs.readFile(file, "utf8"), fs.stat(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (Number.isInteger(holder.pid) && typeof holder.host === "string") return holder;
  } catch {
    // Half-written or foreign: judged by its age below.
  }
  return Date.now() - mtimeMs > UNREADABLE_LOCK_GRACE_MS ? { pid: -1, host: os.hostname(), startedAt: "" } : "unreadable";
}

function isLive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  if (holder.pid <= 0) return false;
  // Our pid, though this process does not hold the lock (heldHere): a previous life of this pid.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describe(holder: LockHolder | "unreadable"): string {
  return holder === "unreadable" ? "a build that is just starting" : `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}`;
}
