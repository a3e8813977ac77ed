import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexBusyError, RemovalRefusedError } from "../../src/domain/errors";
import { buildIndex, currentVersion, DEFAULT_HNSW, LOCK_FILE } from "../../src/store";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";

const chunking = { maxChars: 300, overlapSentences: 1 };
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "store-leftovers-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const build = (articles = SMALL_CORPUS, extra: Partial<Parameters<typeof buildIndex>[0]> = {}) =>
  buildIndex({ dir, articles, embedder: null, chunking, hnsw: DEFAULT_HNSW, ...extra });
const another = (n: number) => [...SMALL_CORPUS, testArticle({ id: `new-${n}`, title: `Bài mới ${n}`, body: `Một câu mới số ${n} về cá heo.` })];

/** What `kill -9` during a save leaves: a half-written staging folder and a temporary CURRENT. */
async function leaveKilledBuild(): Promise<string[]> {
  const staging = ".v-2026-12-01T101010000Z-dead01.tmp";
  await fs.mkdir(path.join(dir, staging));
  await fs.writeFile(path.join(dir, staging, "articles.jsonl"), "x".repeat(10_000));
  const temp = `CURRENT.${999_999}.tmp`;
  await fs.writeFile(path.join(dir, temp), "v-2026-12-01T101010000Z-dead01\n");
  return [staging, temp];
}

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

describe("what interrupted builds leave behind", () => {
  it("a killed build's staging folder and temporary CURRENT are gone after the next build, however young", async () => {
    await build();
    const leftovers = await leaveKilledBuild();
    // A lock file of the killed build, too: its process is dead, so the lock is stale.
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: "" }));

    // Even a build with nothing to write sweeps: it is the next build that cleans up.
    expect((await build()).written).toBe(false);
    const names = await fs.readdir(dir);
    for (const name of [...leftovers, LOCK_FILE]) expect(names).not.toContain(name);
    expect(names.filter((n) => n.startsWith("v-"))).toHaveLength(1);
  });

  it("a version that never served is not kept as the previous one", async () => {
    await build();
    await build(another(1));
    const served = path.basename((await currentVersion(dir))!);
    // Renamed into place by a build killed before it switched CURRENT: newer, but never served.
    const neverServed = "v-2099-01-01T000000000Z-unserv";
    await fs.cp(path.join(dir, served), path.join(dir, neverServed), { recursive: true });

    await build(another(2));
    const versions = (await fs.readdir(dir)).filter((n) => n.startsWith("v-")).sort();
    expect(versions).toEqual([served, path.basename((await currentVersion(dir))!)].sort());
  });

  it("a failed save removes its staging folder; the version in service stays", async () => {
    await build();
    const before = await currentVersion(dir);
    const failing = build(another(1), {
      save: {
        onStep: (file) => {
          if (file === "manifest.json") throw new Error("disk full");
        },
      },
    });
    await expect(failing).rejects.toThrow("disk full");
    expect(await currentVersion(dir)).toBe(before);
    expect((await fs.readdir(dir)).sort()).toEqual(["CURRENT", path.basename(before!)]);
  });

  it("while another live build holds the lock, a build refuses and leaves its files alone", async () => {
    await build();
    const leftovers = await leaveKilledBuild();
    // The test runner's parent process: alive, on this host, not this process.
    await fs.writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: os.hostname(), startedAt: "now" }));
    await expect(build(another(1))).rejects.toBeInstanceOf(IndexBusyError);
    await expect(build(another(1))).rejects.toThrow(`another build (pid ${process.ppid} on ${os.hostname()}, since now) is writing to ${dir}`);
    expect(await fs.readdir(dir)).toEqual(expect.arrayContaining([...leftovers, LOCK_FILE]));
  });

  it("two builds of one process into one folder: the second is told, the first finishes", async () => {
    await build();
    const [first, second] = await Promise.allSettled([build(another(1)), build(another(2))]);
    expect(first.status).toBe("fulfilled");
    expect(second).toMatchObject({ status: "rejected", reason: expect.any(IndexBusyError) });
    expect(await fs.readdir(dir)).not.toContain(LOCK_FILE);
  });
});

describe("a build that would remove most of the index", () => {
  it("is refused before anything is written unless allowRemovals; half is still allowed", async () => {
    await build();
    const before = (await fs.readdir(dir)).sort();
    const refused = build([SMALL_CORPUS[0]!]);
    await expect(refused).rejects.toBeInstanceOf(RemovalRefusedError);
    await expect(build([], { rebuild: true })).rejects.toThrow(`this build would remove 4 of the 4 articles indexed in ${dir}; nothing was written`);
    expect((await fs.readdir(dir)).sort()).toEqual(before);

    expect(await build(SMALL_CORPUS.slice(0, 2))).toMatchObject({ written: true, removed: 2 });
    expect(await build([SMALL_CORPUS[0]!], { allowRemovals: true })).toMatchObject({ written: true, removed: 1, articles: 1 });
  });
});
