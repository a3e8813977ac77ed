/**
 * An English question is read by the similarity of its best passages' sentences (src/read/
 * cross-lingual.ts), embedded one by one at question time. Could a vector per sentence be stored
 * at ingest instead? This compares, on questions retrieved once:
 *   (a) today's: each sentence of the 2 best passages embedded on its own;
 *   (b) late chunking: each sentence's vector mean-pooled from its tokens' hidden states within its
 *       passage's forward pass (`embedPassagesWithSentences`), same 2 passages;
 *   (c) (b) over the 3 and 5 best passages (stored vectors would make them free).
 * Each is read at a sweep of `minCloseness` and judged as `npm run eval` judges. The threshold is
 * chosen on the calibration questions only (English questions of off-corpus.qa.jsonl and
 * off-corpus-hard's calibration part); off-corpus-heldout.qa.jsonl and the hard held-out part check it.
 *
 *   EMBEDDING_MODEL=DIR ALLOW_REMOTE_MODELS=false npx tsx eval/sentence-vectors.ts --index DIR \
 *     [--every 3] [--limit N] [--thresholds 0.75,0.8,…] [--alignment 10]
 *
 * `--alignment K`: also tokenise every K-th passage of the index, whole and sentence by sentence,
 * and count how often the pieces add up to the passage's ids (no model run).
 */
import { parseArgs } from "node:util";
import { composeAnswer } from "../src/answer";
import { QaService } from "../src/app";
import { chunkText, titledText } from "../src/chunk";
import { loadConfig } from "../src/config";
import type { ScoredChunk } from "../src/domain/types";
import { cosine, TransformersEmbedder, type PassageWithSentences } from "../src/embed";
import { computeMetrics, type EvalCase } from "../src/eval/metrics";
import { caseOf, readQaFile, type QaItem } from "../src/eval/run";
import { createLogger } from "../src/logger";
import { DEFAULT_READER, read, sentenceCosines, type SentenceCosines } from "../src/read";
import type { Retrieval } from "../src/retrieve";

const { values } = parseArgs({
  options: {
    index: { type: "string" },
    every: { type: "string", default: "3" },
    limit: { type: "string" },
    thresholds: { type: "string", default: "0.70,0.72,0.74,0.75,0.76,0.77,0.78,0.79,0.80,0.81,0.82,0.83,0.84,0.85,0.86,0.87,0.88,0.90" },
    alignment: { type: "string" },
    /** Also time ingest's embedding of the index's first N passages with and without their sentences (alternated, 3 rounds each). */
    "ingest-cost": { type: "string" },
    /** Only the ingest cost (no questions). */
    "cost-only": { type: "boolean", default: false },
    data: { type: "string", default: "../shared/data/qa" },
  },
});
const config = { ...loadConfig(process.env), indexDir: values.index! };
const service = await QaService.open({ config, logger: createLogger("error") });
const { index } = service;
const embedder = service.embedder;
if (!(embedder instanceof TransformersEmbedder)) throw new Error("needs the model: set EMBEDDING_MODEL");

const every = Number(values.every);
const en2vi = (await readQaFile(`${values.data}/xquad-en2vi.qa.jsonl`)).filter((_, i) => i % every === 0).slice(0, values.limit ? Number(values.limit) : undefined);
const bySplit = (items: QaItem[], split: string) => items.filter((item) => (item.split ?? "calibration") === split);
const hard = await readQaFile("eval/off-corpus-hard.qa.jsonl");
const sets: Array<{ name: string; items: QaItem[] }> = [
  { name: "en2vi", items: en2vi },
  { name: "off-cal", items: [...(await readQaFile("eval/off-corpus.qa.jsonl")), ...bySplit(hard, "calibration")] },
  { name: "off-held", items: [...(await readQaFile("eval/off-corpus-heldout.qa.jsonl")), ...bySplit(hard, "heldout")] },
  { name: "realistic", items: await readQaFile("eval/realistic-news.qa.jsonl") },
];

/** The passage as the model embeds it, its sentences' offsets moved into that text. */
function passageOf(hit: ScoredChunk): PassageWithSentences {
  const shift = hit.article.title.length + 1 - hit.chunk.start;
  return {
    text: titledText(hit.article.title, chunkText(hit.article, hit.chunk)),
    sentences: hit.chunk.sentences.map((s) => ({ start: s.start + shift, end: s.end + shift })),
  };
}

if (values["ingest-cost"]) {
  const passages: PassageWithSentences[] = [];
  for (let p = 0; p < Math.min(index.chunkCount, Number(values["ingest-cost"])); p++) {
    const chunk = index.chunk(p);
    passages.push(passageOf({ article: index.article(chunk.articleId)!, chunk } as ScoredChunk));
  }
  const texts = passages.map((p) => p.text);
  // (a) stored: each sentence embedded alone at ingest, once (passages overlap by a sentence).
  const alone = [...new Set(passages.flatMap((p) => p.sentences.map((s) => p.text.slice(s.start, s.end))))];
  const sums: Record<string, { wall: number; tokenizeMs: number; runMs: number; poolMs: number; tokens: number }> = {};
  for (let round = 0; round < 3; round++) {
    const kinds = ["passages", "with sentences (b)", "sentences alone (a)"];
    for (const kind of round % 2 === 0 ? kinds : kinds.reverse()) {
      const before = embedder.counters;
      const t = performance.now();
      if (kind === "passages") await embedder.embedPassages(texts);
      else if (kind === "sentences alone (a)") await embedder.embedPassages(alone);
      else await embedder.embedPassagesWithSentences(passages);
      const after = embedder.counters;
      const sum = (sums[kind] ??= { wall: 0, tokenizeMs: 0, runMs: 0, poolMs: 0, tokens: 0 });
      sum.tokens += after.paddedTokens - before.paddedTokens;
      sum.wall += performance.now() - t;
      sum.tokenizeMs += after.tokenizeMs - before.tokenizeMs;
      sum.runMs += after.runMs - before.runMs;
      sum.poolMs += after.poolMs - before.poolMs;
    }
  }
  for (const [kind, sum] of Object.entries(sums)) {
    console.log(`ingest of ${passages.length} passages (${alone.length} distinct sentences), ${kind}, 3 rounds: wall ${sum.wall.toFixed(0)} ms, tokenise ${sum.tokenizeMs.toFixed(0)}, session.run ${sum.runMs.toFixed(0)}, pool ${sum.poolMs.toFixed(0)}, tokens computed (padding included) ${sum.tokens / 3}`);
  }
  if (values["cost-only"]) process.exit(0);
}

const VARIANTS = ["a", "b2", "b3", "b5"] as const;
type Variant = (typeof VARIANTS)[number];
interface Asked {
  item: QaItem;
  retrieval: Retrieval;
  cosines: Record<Variant, SentenceCosines>;
}
const timings: Record<"a" | "b", number[]> = { a: [], b: [] };
let missing = 0;
let placed = 0;
const asked = new Map<string, Asked[]>();
for (const { name, items } of sets) {
  const list: Asked[] = [];
  for (const item of items) {
    const retrieval = await service.retrieve(item.question, { limit: 12 });
    if (retrieval.query.language !== "en" || !retrieval.queryVector) continue;
    const { queryVector, hits } = retrieval;
    const dense = hits.filter((h) => h.dense !== null);
    // Side by side, in turns: which goes first alternates.
    const runA = async () => {
      const t = performance.now();
      const c = await sentenceCosines({ hits, queryVector }, index, embedder);
      timings.a.push(performance.now() - t);
      return c;
    };
    const runB = async () => {
      const t = performance.now();
      const out = await embedder.embedPassagesWithSentences(dense.slice(0, 5).map(passageOf));
      timings.b.push(performance.now() - t);
      return out;
    };
    let a: SentenceCosines;
    let b: Awaited<ReturnType<typeof runB>>;
    if (list.length % 2 === 0) {
      a = await runA();
      b = await runB();
    } else {
      b = await runB();
      a = await runA();
    }
    const late = (n: number): SentenceCosines => {
      const cosines: SentenceCosines = new Map();
      dense.slice(0, n).forEach((hit, k) => {
        let own = cosines.get(hit.article.id);
        if (!own) cosines.set(hit.article.id, (own = new Map()));
        hit.chunk.sentences.forEach((span, s) => {
          // Passages overlap by a sentence: the better passage's vector is used, as (a) embeds it once.
          if (own!.has(span.start)) return;
          const vector = b[k]!.sentences[s];
          if (n === 5) vector ? placed++ : missing++;
          if (vector) own!.set(span.start, cosine(queryVector, vector));
        });
      });
      return cosines;
    };
    list.push({ item, retrieval, cosines: { a, b2: late(2), b3: late(3), b5: late(5) } });
  }
  asked.set(name, list);
}

const f = (x: number | null) => (x === null ? "–" : x.toFixed(3));
const thresholds = values.thresholds!.split(",").map(Number);
console.log(`questions (English): ${[...asked].map(([n, l]) => `${n} ${l.length}`).join(", ")}`);
for (const variant of VARIANTS) {
  for (const minCloseness of thresholds) {
    const settings = { ...DEFAULT_READER, minCloseness };
    const cells: string[] = [];
    for (const [name, list] of asked) {
      const cases: EvalCase[] = list.map(({ item, retrieval, cosines }) => {
        const reading = read({ ...retrieval, cosines: cosines[variant] }, index, settings);
        const answer = composeAnswer(item.question, retrieval, reading, config.answer);
        return caseOf(item, { answer, retrieval, reading }, 0);
      });
      const m = computeMetrics(cases);
      cells.push(
        m.answerable > 0
          ? `${name}: first ${f(m.firstQuoteContainment)} contain ${f(m.answerContainment)} nf ${f(m.notFoundRate)}`
          : `${name}: nf ${f(m.offCorpusNotFoundRate)}`,
      );
    }
    console.log(`${variant} minCloseness=${minCloseness.toFixed(3)} | ${cells.join(" | ")}`);
  }
}
const q = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))]!.toFixed(0);
console.log(`time at question time, ms: (a) embed the 2 passages' sentences p50 ${q(timings.a, 0.5)} p95 ${q(timings.a, 0.95)}; (b) forward pass of the 5 best passages p50 ${q(timings.b, 0.5)} p95 ${q(timings.b, 0.95)} (n ${timings.a.length})`);
console.log(`sentences of the 5 best passages without a late-chunked vector: ${missing} of ${missing + placed}; unaligned passages ${embedder.counters.unalignedPassages}`);

if (values.alignment) {
  const step = Number(values.alignment);
  const passages: PassageWithSentences[] = [];
  for (let p = 0; p < index.chunkCount; p += step) {
    const chunk = index.chunk(p);
    const article = index.articles.find((a) => a.id === chunk.articleId)!;
    passages.push(passageOf({ article, chunk } as ScoredChunk));
  }
  const placements = await embedder.placeSentences(passages);
  const sentences = passages.reduce((n, p) => n + p.sentences.length, 0);
  const unplaced = placements.reduce((n, r, i) => n + (r ? r.filter((x) => x === null).length : passages[i]!.sentences.length), 0);
  console.log(`alignment over every ${step}th passage: ${placements.filter((r) => r === null).length} of ${passages.length} passages unaligned; ${unplaced} of ${sentences} sentences without a range (cut by the window included)`);
}
await embedder.dispose();
