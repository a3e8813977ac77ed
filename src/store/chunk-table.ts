import type { Chunk, Span } from "../domain/types";
import { allocateSections, readAligned, readSections } from "./binary-file";
import { copySection, SectionedFile, SectionWriter } from "./streamed-sections";

const MAGIC = "NQCHUNKS";
const FILE_VERSION = 1;
/** article, ordinal, start, end (one per chunk); sentence starts (chunks + 1); sentence offsets (start, end pairs). */
const SECTIONS = ["u32", "u32", "u32", "u32", "u32", "u32"] as const;

/**
 * A segment's passages as columns (`chunks.bin`, binary-file.ts): per chunk its article's
 * position in the segment, its ordinal, its start and end in the article body and a range of
 * sentence spans. `Chunk` objects are made on demand (`at`): at 200,000 articles a version holds
 * ~950,000 passages, which as objects with sentence arrays cost hundreds of MiB of heap.
 *
 * Chunks are in article order (a segment chunks its articles one after the other), so the article
 * column is ascending and an article's chunks are found by binary search.
 */
export class ChunkTable {
  private readonly article: Uint32Array;
  private readonly ordinal: Uint32Array;
  private readonly start: Uint32Array;
  private readonly end: Uint32Array;
  private readonly sentenceStarts: Uint32Array;
  private readonly sentences: Uint32Array;

  private constructor(
    private readonly buffer: ArrayBuffer,
    name: string,
  ) {
    [this.article, this.ordinal, this.start, this.end, this.sentenceStarts, this.sentences] = readSections(buffer, MAGIC, FILE_VERSION, [...SECTIONS], name) as Uint32Array[] as [
      Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array,
    ];
  }

  /** The table of a segment's chunks, in order; `articleIndex` gives each chunk's article position in the segment. */
  static encode(chunks: readonly Chunk[], articleIndex: (articleId: string) => number): ChunkTable {
    const C = chunks.length;
    const S = chunks.reduce((n, c) => n + c.sentences.length, 0);
    const { buffer, sections } = allocateSections(MAGIC, FILE_VERSION, SECTIONS.map((kind, i) => ({ kind, length: i < 4 ? C : i === 4 ? C + 1 : 2 * S })));
    const [article, ordinal, start, end, sentenceStarts, sentences] = sections as Uint32Array[];
    chunks.forEach((chunk, i) => {
      article![i] = articleIndex(chunk.articleId);
      if (i > 0 && article![i]! < article![i - 1]!) throw new RangeError("chunks must come in the order of their articles");
      ordinal![i] = chunk.ordinal;
      start![i] = chunk.start;
      end![i] = chunk.end;
      let at = sentenceStarts![i]!;
      for (const span of chunk.sentences) {
        sentences![2 * at] = span.start;
        sentences![2 * at + 1] = span.end;
        at++;
      }
      sentenceStarts![i + 1] = at;
    });
    return new ChunkTable(buffer, "a built chunk table");
  }

  /**
   * Writes `out`, the table of the chunks of `inputs` one after the other, input i's articles
   * numbered from `inputs[i].base` on: what `encode` writes for the same chunks, byte for byte
   * (a full build's segments merged into one: segment-merge.ts). Read and written a piece at a time.
   */
  static merge(inputs: ReadonlyArray<{ file: string; base: number }>, out: string): void {
    const files = inputs.map(({ file }) => SectionedFile.open(file, MAGIC, FILE_VERSION, SECTIONS));
    const writer = SectionWriter.create(out, MAGIC, FILE_VERSION, SECTIONS);
    try {
      files.forEach((file, i) => copySection(file.stream(0), writer, inputs[i]!.base));
      writer.next();
      for (const section of [1, 2, 3]) {
        for (const file of files) copySection(file.stream(section), writer);
        writer.next();
      }
      // Each input's sentence starts but its last (its sentence count), moved past the sentences before it; then the total.
      let sentences = 0;
      for (const file of files) {
        const starts = file.stream(4);
        starts.copyTo(writer, starts.left - 1, sentences);
        sentences += file.sections[5]!.length / 2;
      }
      writer.write(Uint32Array.of(sentences));
      writer.next();
      for (const file of files) copySection(file.stream(5), writer);
      writer.close();
    } catch (error) {
      writer.abandon();
      throw error;
    }
  }

  /** How many chunks a table file holds (read from its header). */
  static countIn(file: string): number {
    return SectionedFile.open(file, MAGIC, FILE_VERSION, SECTIONS).sections[0]!.length;
  }

  static fromBuffer(buffer: ArrayBuffer, name: string): ChunkTable {
    return new ChunkTable(buffer, name);
  }

  static async read(file: string): Promise<ChunkTable> {
    return new ChunkTable(await readAligned(file), file);
  }

  /** The file, byte for byte (a view). */
  get bytes(): Uint8Array {
    return new Uint8Array(this.buffer);
  }

  get size(): number {
    return this.article.length;
  }

  /** The position in the segment of chunk i's article. */
  articleOf(i: number): number {
    return this.article[i]!;
  }

  /** The ordinal of chunk i in its article (0: the lead). */
  ordinalOf(i: number): number {
    return this.ordinal[i]!;
  }

  /** Chunk i as an object; `articleId` is its article's id (`articleOf(i)` says which). */
  at(i: number, articleId: string): Chunk {
    const sentences: Span[] = [];
    for (let k = this.sentenceStarts[i]!; k < this.sentenceStarts[i + 1]!; k++) sentences.push({ start: this.sentences[2 * k]!, end: this.sentences[2 * k + 1]! });
    const ordinal = this.ordinal[i]!;
    return { id: `${articleId}#${ordinal}`, articleId, ordinal, start: this.start[i]!, end: this.end[i]!, sentences };
  }

  /** The chunks [from, to) of the article at this position in the segment. */
  rangeOf(article: number): { from: number; to: number } {
    return { from: this.lowerBound(article), to: this.lowerBound(article + 1) };
  }

  private lowerBound(article: number): number {
    let lo = 0;
    let hi = this.article.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.article[mid]! < article) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
