import fs from "node:fs/promises";
import { GrowableArray } from "./growable-array";
import { LEXICAL_FILE, LEXICAL_SECTIONS } from "./lexical-builder";
import { copySection, SectionedFile, SectionWriter, type SectionStream } from "./streamed-sections";

/** One lexical index file to merge, and the number its first document takes in the merged file. */
export interface LexicalInput {
  file: string;
  base: number;
}

/** The sections of a lexical index file, by number (see `LexicalBuilder.write`). */
const S = { terms: 1, termOffsets: 2, folded: 3, foldedOffsets: 4, foldedStarts: 5, spellings: 6, postingsOffsets: 7, lengths: 8, leads: 9, docs: 10, tfs: 11 } as const;

/**
 * Writes `out`, the lexical index of the documents of `inputs` one after the other (input i's
 * document d is `inputs[i].base + d`), reading and writing a piece at a time: the dictionaries are
 * merged as the sorted lists they are, and each merged term's postings are its inputs' postings
 * one after the other, renumbered. What it holds is a few numbers per term (where each input's
 * terms are in the merged dictionary, the merged offsets), never a dictionary's strings or a
 * whole posting list: at 200,000 articles the inputs are gigabytes.
 *
 * The file is byte for byte the one `LexicalBuilder` writes for the same documents indexed at
 * once (the same sorted dictionaries; each folded form's spellings in order of first occurrence,
 * the first input's, then those new in the next…; each term's postings in document order): a
 * full build written as several segments is merged into one (segment-merge.ts).
 */
export async function mergeLexicalFiles(inputs: readonly LexicalInput[], out: string): Promise<void> {
  const files = inputs.map(({ file }) => SectionedFile.open(file, LEXICAL_FILE.magic, LEXICAL_FILE.version, LEXICAL_SECTIONS));
  const writer = SectionWriter.create(out, LEXICAL_FILE.magic, LEXICAL_FILE.version, LEXICAL_SECTIONS);
  try {
    writer.write(Float64Array.of(averageLength(files)));
    writer.next();
    const terms = mergeDictionaries(files.map((f) => ({ blob: f.stream(S.terms), offsets: f.stream(S.termOffsets) })), writer);
    await yieldToEventLoop();
    const folded = mergeDictionaries(files.map((f) => ({ blob: f.stream(S.folded), offsets: f.stream(S.foldedOffsets) })), writer);
    await yieldToEventLoop();
    await mergeSpellings(files, terms, folded, writer);
    writer.write(postingsOffsets(files, terms));
    writer.next();
    for (const section of [S.lengths, S.leads]) {
      for (const file of files) copySection(file.stream(section), writer);
      writer.next();
    }
    for (const section of [S.docs, S.tfs]) {
      const postings = files.map((f) => f.stream(section));
      await forEachTermsPostings(files, terms, (input, n) => postings[input]!.copyTo(writer, n, section === S.docs ? inputs[input]!.base : 0));
      writer.next();
    }
    writer.close();
  } catch (error) {
    writer.abandon();
    await fs.rm(out, { force: true });
    throw error;
  }
}

/** A merged dictionary: per input, the merged number of each of its terms (ascending: both are sorted), and how many terms. */
interface Merged {
  maps: Uint32Array[];
  size: number;
}

/** The mean document length over every input, summed in document order as a build sums it. */
function averageLength(files: readonly SectionedFile[]): number {
  let sum = 0;
  let documents = 0;
  for (const file of files) {
    const lengths = file.stream(S.lengths);
    documents += lengths.left;
    while (lengths.left > 0) for (const length of lengths.take(Math.min(lengths.left, 1 << 16))) sum += length;
  }
  return sum / Math.max(1, documents);
}

/**
 * Merges sorted dictionaries (UTF-8 blobs and offsets) into one, writing its blob and offsets
 * sections: a k-way merge over a heap of the inputs' current terms (ties: the earlier input first).
 */
function mergeDictionaries(inputs: ReadonlyArray<{ blob: SectionStream; offsets: SectionStream }>, writer: SectionWriter): Merged {
  const maps = inputs.map(({ offsets }) => new Uint32Array(offsets.left - 1));
  /** Per input: the number of its current term, where that term's bytes are in its blob stream's buffer, how many, and where it ends in the blob. */
  const current = new Uint32Array(inputs.length);
  const starts = new Uint32Array(inputs.length);
  const lengths = new Uint32Array(inputs.length);
  const ends = inputs.map(({ offsets }) => offsets.one());
  const advance = (i: number): boolean => {
    if (current[i]! >= maps[i]!.length) return false;
    const { blob, offsets } = inputs[i]!;
    const end = offsets.one();
    lengths[i] = end - ends[i]!;
    starts[i] = blob.skip(lengths[i]!);
    ends[i] = end;
    return true;
  };
  const bytesOf = (i: number) => inputs[i]!.blob.current as Uint8Array;
  const before = (a: number, b: number) => {
    const order = compare(bytesOf(a), starts[a]!, lengths[a]!, bytesOf(b), starts[b]!, lengths[b]!);
    return order < 0 || (order === 0 && a < b);
  };
  const heap = new MinHeap(before);
  inputs.forEach((_, i) => {
    if (advance(i)) heap.push(i);
  });

  const offsets = new GrowableArray(Uint32Array);
  offsets.push(0);
  let bytes = 0;
  let last = new Uint8Array(64);
  let lastLength = -1;
  while (heap.size > 0) {
    const i = heap.top;
    const [head, start, length] = [bytesOf(i), starts[i]!, lengths[i]!];
    if (lastLength !== length || compare(head, start, length, last, 0, lastLength) !== 0) {
      writer.append(head, start, length);
      offsets.push((bytes += length));
      if (last.length < length) last = new Uint8Array(2 * length);
      for (let k = 0; k < length; k++) last[k] = head[start + k]!;
      lastLength = length;
    }
    maps[i]![current[i]!++] = offsets.length - 2;
    if (advance(i)) heap.replaceTop(i);
    else heap.pop();
  }
  writer.next();
  offsets.forEachBlock((block) => writer.write(block));
  writer.next();
  return { maps, size: offsets.length - 1 };
}

/**
 * The folded forms' spellings (starts, list): for each merged folded form, the spellings its
 * inputs list for it, in input order, each once, as merged term numbers.
 */
async function mergeSpellings(files: readonly SectionedFile[], terms: Merged, folded: Merged, writer: SectionWriter): Promise<void> {
  const starts = files.map((f) => f.stream(S.foldedStarts));
  const spellings = files.map((f) => f.stream(S.spellings));
  const previous = starts.map((s) => s.one());
  const at = new Uint32Array(files.length);
  const mergedStarts = new GrowableArray(Uint32Array);
  const members = new GrowableArray(Uint32Array);
  mergedStarts.push(0);
  const group: number[] = [];
  for (let f = 0; f < folded.size; f++) {
    group.length = 0;
    for (let i = 0; i < files.length; i++) {
      const map = folded.maps[i]!;
      if (at[i]! >= map.length || map[at[i]!] !== f) continue;
      at[i]!++;
      const end = starts[i]!.one();
      const from = spellings[i]!.skip(end - previous[i]!);
      const own = spellings[i]!.current;
      for (let k = from; k < from + end - previous[i]!; k++) {
        const id = terms.maps[i]![own[k]!]!;
        if (!group.includes(id)) group.push(id);
      }
      previous[i] = end;
    }
    for (const id of group) members.push(id);
    mergedStarts.push(members.length);
    if (f % 262_144 === 262_143) await yieldToEventLoop();
  }
  for (const list of [mergedStarts, members]) {
    list.forEachBlock((block) => writer.write(block));
    writer.next();
  }
}

/** The merged postings offsets: each merged term's postings are the sum of its inputs'. */
function postingsOffsets(files: readonly SectionedFile[], terms: Merged): Uint32Array {
  const offsets = new Uint32Array(terms.size + 1);
  files.forEach((file, i) => {
    const own = file.stream(S.postingsOffsets);
    const map = terms.maps[i]!;
    let start = own.one();
    for (let r = 0; r < map.length; r++) {
      const end = own.one();
      offsets[map[r]! + 1]! += end - start;
      start = end;
    }
  });
  for (let t = 0; t < terms.size; t++) offsets[t + 1]! += offsets[t]!;
  return offsets;
}

/** Calls `visit(input, n)` for each merged term, in order, with each input holding it, in order: its `n` postings are next in its sections. */
async function forEachTermsPostings(files: readonly SectionedFile[], terms: Merged, visit: (input: number, n: number) => void): Promise<void> {
  const offsets = files.map((f) => f.stream(S.postingsOffsets));
  const starts = offsets.map((o) => o.one());
  const at = new Uint32Array(files.length);
  for (let t = 0; t < terms.size; t++) {
    for (let i = 0; i < files.length; i++) {
      const map = terms.maps[i]!;
      if (at[i]! >= map.length || map[at[i]!] !== t) continue;
      at[i]!++;
      const end = offsets[i]!.one();
      if (end > starts[i]!) visit(i, end - starts[i]!);
      starts[i] = end;
    }
    if (t % 262_144 === 262_143) await yieldToEventLoop();
  }
}

/** The sign of a[aStart, + aLength) − b[bStart, + bLength) in byte order (a prefix first). */
function compare(a: Uint8Array, aStart: number, aLength: number, b: Uint8Array, bStart: number, bLength: number): number {
  const n = Math.min(aLength, bLength);
  for (let k = 0; k < n; k++) {
    const d = a[aStart + k]! - b[bStart + k]!;
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** A binary min-heap of small integers under `before`. */
class MinHeap {
  private readonly items: number[] = [];

  constructor(private readonly before: (a: number, b: number) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  get top(): number {
    return this.items[0]!;
  }

  push(item: number): void {
    const items = this.items;
    let at = items.push(item) - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(items[at]!, items[parent]!)) break;
      [items[at], items[parent]] = [items[parent]!, items[at]!];
      at = parent;
    }
  }

  pop(): void {
    const last = this.items.pop()!;
    if (this.items.length > 0) this.replaceTop(last);
  }

  /** Replaces the top with `item` (the same input with its next term) and restores the order. */
  replaceTop(item: number): void {
    const items = this.items;
    items[0] = item;
    for (let at = 0; ; ) {
      const left = 2 * at + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && this.before(items[right]!, items[left]!) ? right : left;
      if (!this.before(items[child]!, items[at]!)) break;
      [items[at], items[child]] = [items[child]!, items[at]!];
      at = child;
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
