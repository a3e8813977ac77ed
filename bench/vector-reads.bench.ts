/**
 * `npx tsx bench/vector-reads.bench.ts --index DIR [--candidates 150] [--rounds 200]`: what it costs
 * to compare a question with every candidate passage (`CorpusIndex.cosineTo`, what the retriever
 * does for each passage the vector search did not return) by reading the stored vectors
 * (`vectors.f32`, positional reads), against taking them from the HNSW graph (`getPoint`), side
 * by side, alternated, in one process. DIR: an index built with a model (its model is not loaded:
 * a random query vector will do). The file is read through once first, as a serving bot's would
 * be in the page cache.
 */
import { parseArgs } from "node:util";
import { cosine } from "../src/embed/vectors";
import { loadIndex, readManifest } from "../src/store";

const { values } = parseArgs({ options: { index: { type: "string" }, candidates: { type: "string", default: "150" }, rounds: { type: "string", default: "200" } } });
const manifest = values.index ? await readManifest(values.index) : null;
if (!manifest?.model) {
  process.stderr.write("usage: npx tsx bench/vector-reads.bench.ts --index DIR (an index built with a model)\n");
  process.exit(2);
}
const index = await loadIndex(values.index!, { model: manifest.model });
const dims = manifest.model.dimensions;
const query = new Float32Array(dims).map(() => Math.random() - 0.5);
const n = index.chunkCount;
for (let position = 0; position < n; position++) index.cosineTo(query, position);

// The graph's copy, as the retriever would have to take it without the stored vectors.
const graph = (index.vectors as unknown as { graph: { getPoint(label: number): number[] } }).graph;
const slots = (index as unknown as { chunkSlot: Uint32Array }).chunkSlot;
const fromGraph = (position: number) => cosine(query, graph.getPoint(slots[position]!));
const fromFile = (position: number) => index.cosineTo(query, position);
const candidates = Number(values.candidates);
for (const [name, similarity] of [["stored vectors", fromFile], ["HNSW getPoint", fromGraph], ["stored vectors", fromFile], ["HNSW getPoint", fromGraph]] as const) {
  const times: number[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const t0 = performance.now();
    for (let i = 0; i < candidates; i++) similarity((round * 991 + i * 137) % n);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(3);
  console.log(`${name}: ${candidates} similarities p50 ${at(0.5)} ms, p95 ${at(0.95)} ms (${n} passages)`);
}
