/**
 * `npx tsx bench/interrupted-builds.ts [--runs 20] [--corpus FILE] [--keep DIR] [--incremental]`: how much disk an
 * index folder holds after builds killed with SIGKILL in the middle of writing (issue 12, item 7).
 *
 * Builds the index once, then starts `npm run ingest -- --rebuild` again and again and kills the
 * whole process group (npm, sh, tsx, node) with SIGKILL while the new version is being written: as
 * soon as its staging folder appears, plus a random delay of up to 1.5 s, so that some runs die
 * mid-write and some between the folder's rename and the switch of CURRENT. A run that finished
 * before the kill is not counted. Reports the folder's size after the interrupted runs and after
 * one more complete build, and what is left in it besides the version in service.
 *
 * `--incremental`: each run adds one article (a new file in a corpus folder that links FILE) and
 * runs `npm run ingest` without `--rebuild`: the build writes one small segment and hard-links the
 * others, and is killed in the middle of that. After the runs, the version in service must load
 * and hold every article of the last run that finished (checked; exits 1 otherwise).
 *
 * A real `kill -9` of real processes, not a simulation: nothing in the build gets to clean up.
 * Uses `../shared/data/news` by default (exits 2 when it is absent); the index goes to a
 * temporary folder, removed at the end unless `--keep` names one.
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { NEWS, requireSharedData } from "./shared-data";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "20" }, corpus: { type: "string" }, keep: { type: "string" }, incremental: { type: "boolean", default: false } },
  strict: true,
});
if (!values.corpus) requireSharedData();
const corpus = path.resolve(values.corpus ?? NEWS);
const runs = Number(values.runs);
const repo = path.resolve(import.meta.dirname, "..");
const indexDir = values.keep ? path.resolve(values.keep) : await fs.mkdtemp(path.join(os.tmpdir(), "bench-interrupted-"));
const env = { ...process.env, DENSE_RETRIEVAL: "off", LOG_LEVEL: "warn" };
// --incremental: a corpus folder (the corpus file linked into it) that each run adds an article to.
const corpusDir = values.incremental ? await fs.mkdtemp(path.join(os.tmpdir(), "bench-interrupted-corpus-")) : null;
if (corpusDir) await fs.link(corpus, path.join(corpusDir, "archive.jsonl"));
let added = 0;
async function addArticle(): Promise<void> {
  if (!corpusDir) return;
  added++;
  const record = { id: `added-${added}`, title: `Bài mới số ${added}`, text: `Một câu mới số ${added} về cá heo ở Nha Trang.`, category: "news" };
  await fs.writeFile(path.join(corpusDir, `added-${added}.jsonl`), JSON.stringify(record) + "\n");
}

/** Starts `npm run ingest` in its own process group, so that one signal reaches every process of it. */
function startIngest() {
  const args = corpusDir ? ["--corpus", corpusDir, "--index", indexDir] : ["--corpus", corpus, "--index", indexDir, "--rebuild"];
  const child = spawn("npm", ["run", "-s", "ingest", "--", ...args], {
    cwd: repo,
    env,
    detached: true,
    stdio: "ignore",
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { pid: child.pid!, exited };
}

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

const mib = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const current = async () => (await fs.readFile(path.join(indexDir, "CURRENT"), "utf8").catch(() => "")).trim();
const stagingFolders = async () => (await fs.readdir(indexDir).catch(() => [])).filter((name) => name.startsWith(".v-"));

const first = startIngest();
if ((await first.exited) !== 0) throw new Error("the first, complete build failed");
const complete = await bytesUnder(indexDir);

let interrupted = 0;
let finishedBeforeKill = 0;
while (interrupted < runs) {
  const servedBefore = await current();
  const stagingBefore = new Set(await stagingFolders());
  await addArticle();
  const run = startIngest();
  let exited = false;
  void run.exited.then(() => (exited = true));
  // Wait for this run's staging folder (a name not there before): the build is writing.
  while (!exited && (await stagingFolders()).every((name) => stagingBefore.has(name))) await sleep(20);
  await sleep(Math.random() * 1500);
  if (!exited) {
    try {
      process.kill(-run.pid, "SIGKILL");
    } catch {
      // It ended between the check and the kill.
    }
  }
  await run.exited;
  if ((await current()) === servedBefore) interrupted++;
  else finishedBeforeKill++;
}
const afterInterrupted = await bytesUnder(indexDir);
/** What the folder holds besides CURRENT and the version it names. */
const leftoversNow = async () => {
  const served = await current();
  return (await fs.readdir(indexDir)).filter((name) => name !== "CURRENT" && name !== served);
};
const leftovers = await leftoversNow();
// The version in service loads, and is one a build finished: with --incremental, it holds every
// article added up to its build (the last finished run's, or the first build's).
const { loadIndex } = await import("../src/store");
const served = await loadIndex(indexDir, { model: null });
const addedServed = served.articles.filter((a) => a.id.startsWith("added-")).length;
if (corpusDir && served.articles.some((a, i, all) => all.findIndex((b) => b.id === a.id) !== i)) throw new Error("an article is served twice");

const last = startIngest();
if ((await last.exited) !== 0) throw new Error("the last, complete build failed");
const afterNextBuild = await bytesUnder(indexDir);
const leftoversAfterNextBuild = await leftoversNow();

console.log(
  JSON.stringify(
    {
      corpus,
      interruptedBuilds: interrupted,
      finishedBeforeKill,
      oneCompleteVersionMiB: mib(complete),
      afterInterruptedMiB: mib(afterInterrupted),
      leftoversAfterInterrupted: leftovers,
      servedArticlesAfterInterrupted: served.articles.length,
      addedArticlesServed: addedServed,
      segmentsServed: served.segments.length,
      afterNextCompleteBuildMiB: mib(afterNextBuild),
      leftoversAfterNextCompleteBuild: leftoversAfterNextBuild,
    },
    null,
    2,
  ),
);
if (!values.keep) await fs.rm(indexDir, { recursive: true, force: true });
if (corpusDir) await fs.rm(corpusDir, { recursive: true, force: true });
