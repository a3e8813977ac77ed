/**
 * `npx tsx bench/scale-corpus.ts --articles N [--out FILE] [--seed S]`: writes an N-article corpus
 * (JSON Lines, the news corpus's own record shape) built from the 2,653 news articles of
 * `../shared/data/news`, for measuring how ingest, load and ask grow with the archive.
 *
 * Why recombined rather than copied: ten byte copies of the corpus index as ten copies of every
 * posting and leave document frequencies, lengths and the term dictionary of a 2,653-article
 * archive, so costs would scale unlike a real one. Here article i takes the paragraph and sentence
 * counts of source article i mod 2,653 (so lengths keep the real distribution), and fills each
 * sentence slot with a sentence drawn from any article of the same category (so syllable
 * frequencies stay those of that kind of news, and the pairs at sentence joins are new). Digit runs
 * are re-drawn (same length, same first digit), the main source of new terms in a growing archive:
 * figures, dates, scores. Names do not grow, so the term dictionary stays smaller than a real
 * archive's of the same size — a lower bound on its memory, not an estimate.
 *
 * Deterministic (seeded), written to a path outside the repository (default
 * `$TMPDIR/newsroom-scale/corpus-N.jsonl`): shared data is never copied into the project. Above
 * `PART_ARTICLES` articles the corpus is a folder of files of that many (`corpus-N/part-000.jsonl`
 * …), the same articles in the same order: a 200,000-article file is ~0.9 GB, past the longest
 * string V8 can hold (2^29 characters); the loader holds one file's text and records while it
 * parses it (a 50,000-article file took an ingest to 2.2 GB RSS before its first segment); and a
 * newsroom's archive comes as many files anyway.
 */
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { NEWS } from "./shared-data";

interface SourceArticle {
  category: string;
  title: string;
  date: string;
  /** Paragraphs, each a list of sentences. */
  paragraphs: string[][];
}

/** Where `scale.bench.ts` and this script put generated corpora and indexes by default. */
export const DEFAULT_SCALE_DIR = path.join(os.tmpdir(), "newsroom-scale");

/** The most articles in one corpus file (see above). */
export const PART_ARTICLES = 10_000;

/** Sentence ends: . ! ? … followed by space; good enough to cut sentences for recombination. */
const SENTENCE_END = /(?<=[.!?…][”"’)]?)\s+(?=\S)/u;

/** Where an N-article corpus goes in `dir`: a file, or a folder above `PART_ARTICLES`. */
export function corpusPath(dir: string, articles: number): string {
  return path.join(dir, articles > PART_ARTICLES ? `corpus-${articles}` : `corpus-${articles}.jsonl`);
}

/**
 * Generates the corpus into `out` (unless it already exists with the same seed recorded beside it)
 * and returns its path: a file, or above `PART_ARTICLES` articles a folder of files.
 */
export async function scaleCorpus(articles: number, out = corpusPath(DEFAULT_SCALE_DIR, articles), seed = 1): Promise<string> {
  const stamp = `${out}.done`;
  if ((await fs.readFile(stamp, "utf8").catch(() => "")) === `seed ${seed}`) return out;
  const sources = await readSources(NEWS);
  const pools = new Map<string, string[]>();
  const titles = new Map<string, string[]>();
  for (const source of sources) {
    const pool = pools.get(source.category) ?? [];
    for (const paragraph of source.paragraphs) pool.push(...paragraph);
    pools.set(source.category, pool);
    titles.set(source.category, [...(titles.get(source.category) ?? []), source.title]);
  }
  const rng = mulberry32(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rng() * list.length)]!;
  const parts = articles > PART_ARTICLES;
  await fs.mkdir(parts ? out : path.dirname(out), { recursive: true });
  const partFile = (i: number) => (parts ? path.join(out, `part-${String(i / PART_ARTICLES).padStart(3, "0")}.jsonl`) : out);
  let stream = createWriteStream(partFile(0));
  for (let i = 0; i < articles; i++) {
    if (i > 0 && i % PART_ARTICLES === 0) {
      stream.end();
      await finished(stream);
      stream = createWriteStream(partFile(i));
    }
    const template = sources[i % sources.length]!;
    const pool = pools.get(template.category)!;
    const text = template.paragraphs.map((p) => p.map(() => redrawDigits(pick(pool), rng)).join(" ")).join("\n");
    // A headline: the first half of one same-category title and the second half of another.
    const [a, b] = [pick(titles.get(template.category)!).split(" "), pick(titles.get(template.category)!).split(" ")];
    const title = redrawDigits([...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.ceil(b.length / 2))].join(" "), rng);
    const record = {
      id: `scale_${template.category}_${String(i + 1).padStart(6, "0")}`,
      title,
      text,
      date: template.date,
      url: `https://example.invalid/scale/${i + 1}`,
      category: template.category,
    };
    if (!stream.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  }
  stream.end();
  await finished(stream);
  await fs.writeFile(stamp, `seed ${seed}`);
  return out;
}

async function readSources(file: string): Promise<SourceArticle[]> {
  const sources: SourceArticle[] = [];
  const lines = readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { category?: string; title?: string; text?: string; date?: string };
    const paragraphs = (record.text ?? "")
      .split("\n")
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => p.split(SENTENCE_END));
    if (paragraphs.length === 0) continue;
    sources.push({ category: record.category ?? "news", title: record.title ?? "", date: record.date ?? "", paragraphs });
  }
  return sources;
}

/** Every digit after the first of a run is re-drawn: "2.450" → "2.917", "2020" → "2083". */
function redrawDigits(text: string, rng: () => number): string {
  return text.replace(/\d{2,}/g, (run) => run[0] + run.slice(1).replace(/\d/g, () => String(Math.floor(rng() * 10))));
}

/** A small seeded PRNG: the same seed gives the same corpus on every machine. */
export function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { articles: { type: "string" }, out: { type: "string" }, seed: { type: "string", default: "1" } } });
  const n = Number(values.articles);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write("usage: npx tsx bench/scale-corpus.ts --articles N [--out FILE] [--seed S]\n");
    process.exit(2);
  }
  process.stdout.write(`${await scaleCorpus(n, values.out ?? undefined, Number(values.seed))}\n`);
}
