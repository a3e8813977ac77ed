/**
 * `npx tsx bench/segment-merge.bench.ts --index DIR [--out FILE]`: how long merging a version's
 * lexical files takes (`mergeLexicalFiles`), the passages' and the articles', its segments left as
 * they are. DIR: an index whose version is several segments, such as one built by the code before
 * full builds merged them (a second worktree), or an incremental one. Prints the seconds and bytes
 * of each merged file; the merged files go to FILE (default in the OS temporary folder) and are
 * removed afterwards.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { currentVersion, readManifest } from "../src/store";
import { mergeLexicalFiles } from "../src/store/lexical-merge";

const { values } = parseArgs({ options: { index: { type: "string" }, out: { type: "string" } } });
if (!values.index) {
  process.stderr.write("usage: npx tsx bench/segment-merge.bench.ts --index DIR [--out FILE]\n");
  process.exit(2);
}
const version = await currentVersion(values.index);
const manifest = await readManifest(values.index);
if (!version || !manifest) throw new Error(`no index in ${values.index}`);
const out = values.out ?? path.join(os.tmpdir(), `merge-bench-${process.pid}.bin`);
for (const [file, count] of [["lexical.bin", "chunks"], ["articles-lexical.bin", "articles"]] as const) {
  let base = 0;
  const inputs = manifest.segments.map((segment) => {
    const input = { file: path.join(version, segment.name, file), base };
    base += segment[count];
    return input;
  });
  const started = performance.now();
  await mergeLexicalFiles(inputs, out);
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ file, segments: inputs.length, seconds: Number(seconds.toFixed(1)), bytes: (await fs.stat(out)).size }));
  await fs.rm(out);
}
