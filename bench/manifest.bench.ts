/**
 * `npx tsx bench/manifest.bench.ts [--index DIR | --articles 200000] [--rounds 2]`: what a build's
 * round trip of the manifest costs (read it, copy its content hashes with a change applied, write
 * the new one), as an incremental build does on every /add: the product's way (`parseBuildManifest`,
 * `manifestChunks`) against the way it did before (`JSON.parse` into an object, a Map of its
 * entries, `Object.fromEntries`, `JSON.stringify`). Each way runs in a process of its own, in turn,
 * and reports its peak RSS over its RSS before and its time; both must write the same bytes.
 *
 * The manifest is the version in service of `--index`, or one of `--articles` made-up hashes.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { currentVersion } from "../src/store";
import { manifestChunks, parseBuildManifest } from "../src/store/manifest";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    articles: { type: "string", default: "200000" },
    rounds: { type: "string", default: "2" },
    way: { type: "string" },
    file: { type: "string" },
    out: { type: "string" },
  },
});

if (values.way) {
  // A child: one way, once.
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  setInterval(sample, 2).unref();
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const text = await fs.readFile(values.file!, "utf8");
  if (values.way === "product") {
    const manifest = parseBuildManifest(text);
    const hashes = new Map(manifest.articles).set("added-1", "0123456789abcdef");
    const handle = await fs.open(values.out!, "w");
    for (const chunk of manifestChunks({ ...manifest, articles: hashes })) await handle.write(chunk);
    await handle.close();
  } else {
    const manifest = JSON.parse(text) as { articles: Record<string, string> };
    const hashes = new Map(Object.entries(manifest.articles)).set("added-1", "0123456789abcdef");
    await fs.writeFile(values.out!, JSON.stringify({ ...manifest, articles: Object.fromEntries(hashes) }, null, 2));
  }
  sample();
  console.log(JSON.stringify({ peakExtraMiB: (peak - before) / 2 ** 20, ms: performance.now() - started }));
  process.exit(0);
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), "manifest-bench-"));
let file: string;
if (values.index) {
  const version = await currentVersion(values.index);
  if (!version) throw new Error(`${values.index} holds no index`);
  file = path.join(version, "manifest.json");
} else {
  // Ids and hashes shaped as the product writes them.
  const n = Number(values.articles);
  const articles: Record<string, string> = {};
  for (let i = 0; i < n; i++) articles[`scale_${String(i).padStart(6, "0")}_news_society_${i % 997}`] = (i * 2654435761).toString(16).padStart(16, "0").slice(-16);
  file = path.join(dir, "manifest.json");
  await fs.writeFile(file, JSON.stringify({ formatVersion: 7, builtAt: new Date().toISOString(), segments: [], articles }, null, 2));
}
const runs: Record<string, Array<{ peakExtraMiB: number; ms: number }>> = { product: [], before: [] };
for (let round = 0; round < Number(values.rounds); round++) {
  for (const way of ["product", "before"]) {
    const out = path.join(dir, `${way}.json`);
    const stdout = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, "--way", way, "--file", file, "--out", out], { encoding: "utf8" });
    runs[way]!.push(JSON.parse(stdout.trim().split("\n").at(-1)!) as { peakExtraMiB: number; ms: number });
  }
  const [mine, theirs] = await Promise.all([fs.readFile(path.join(dir, "product.json")), fs.readFile(path.join(dir, "before.json"))]);
  if (!mine.equals(theirs)) throw new Error("the two ways wrote different manifests");
}
const { size } = await fs.stat(file);
await fs.rm(dir, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      manifest: values.index ? file : `${values.articles} made-up hashes`,
      megabytes: +(size / 1e6).toFixed(1),
      ...Object.fromEntries(Object.entries(runs).map(([way, rs]) => [way, rs.map((r) => `${r.peakExtraMiB.toFixed(0)} MiB, ${r.ms.toFixed(0)} ms`)])),
    },
    null,
    2,
  ),
);
