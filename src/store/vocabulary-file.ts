import { allocateSections, readAligned, readSections } from "./binary-file";
import { SortedTerms, sortByCodePoints } from "./sorted-terms";

/** Spellings with their passage counts, most frequent first. */
export type Forms = Array<[form: string, df: number]>;

const MAGIC = "NQVOCABL";
const FILE_VERSION = 1;
/** Its sections, in order (see `VocabularyFile.encode`). */
const SECTIONS = ["f64", "u8", "u32", "u32", "u8", "u32", "u32", "u32", "u8", "u32", "u32", "u8", "u32", "u32"] as const;

/**
 * A segment's vocabulary as it lies on disk (`vocabulary.bin`), viewed in place: what `Vocabulary`
 * looks up, without a `Map` entry per spelling (format 4 parsed a JSON object of every syllable
 * and pair: 5 MB and half a second at 2,653 articles, 24 MB at 200,000).
 *
 * Sections: the passage count (float64); the syllable spellings sorted by UTF-8 bytes (blob,
 * offsets) and their passage counts; the folded syllables sorted the same way, each with a range
 * (starts) in a list of spelling ids, most frequent first; the folded pairs sorted, each with a
 * range (starts) in the pair spellings (blob, offsets, passage counts), most frequent first.
 */
export class VocabularyFile {
  readonly documents: number;
  private readonly spellings: SortedTerms;
  private readonly spellingDf: Uint32Array;
  private readonly foldedSyllables: SortedTerms;
  private readonly syllableStarts: Uint32Array;
  private readonly syllableMembers: Uint32Array;
  private readonly foldedPairs: SortedTerms;
  private readonly pairStarts: Uint32Array;
  /** The pair spellings, grouped by folded pair (not sorted: only `at` is used on them). */
  private readonly pairSpellings: SortedTerms;
  private readonly pairDf: Uint32Array;

  private constructor(
    private readonly buffer: ArrayBuffer,
    name: string,
  ) {
    const s = readSections(buffer, MAGIC, FILE_VERSION, [...SECTIONS], name);
    this.documents = s[0]![0]!;
    this.spellings = new SortedTerms(s[1] as Uint8Array, s[2] as Uint32Array);
    this.spellingDf = s[3] as Uint32Array;
    this.foldedSyllables = new SortedTerms(s[4] as Uint8Array, s[5] as Uint32Array);
    this.syllableStarts = s[6] as Uint32Array;
    this.syllableMembers = s[7] as Uint32Array;
    this.foldedPairs = new SortedTerms(s[8] as Uint8Array, s[9] as Uint32Array);
    this.pairStarts = s[10] as Uint32Array;
    this.pairSpellings = new SortedTerms(s[11] as Uint8Array, s[12] as Uint32Array);
    this.pairDf = s[13] as Uint32Array;
  }

  /**
   * The file of a vocabulary: folded syllable → its spellings, folded pair → its spellings, each
   * list most frequent first (as `Vocabulary` groups them).
   */
  static encode(documents: number, syllables: Map<string, Forms>, pairs: Map<string, Forms>): VocabularyFile {
    const spellings = sortByCodePoints([...syllables.values()].flatMap((forms) => forms.map(([form]) => form)));
    const spellingIds = new Map(spellings.map((form, id) => [form, id]));
    const dfOf = new Map([...syllables.values()].flat());
    const syllableKeys = sortByCodePoints([...syllables.keys()]);
    const pairKeys = sortByCodePoints([...pairs.keys()]);
    const pairForms = pairKeys.flatMap((key) => pairs.get(key)!);
    const spellingText = SortedTerms.encode(spellings);
    const syllableText = SortedTerms.encode(syllableKeys);
    const pairText = SortedTerms.encode(pairKeys);
    const pairFormText = SortedTerms.encode(pairForms.map(([form]) => form));
    const lengths = [
      1,
      spellingText.blob.length, spellings.length + 1, spellings.length,
      syllableText.blob.length, syllableKeys.length + 1, syllableKeys.length + 1, spellings.length,
      pairText.blob.length, pairKeys.length + 1, pairKeys.length + 1,
      pairFormText.blob.length, pairForms.length + 1, pairForms.length,
    ];
    const { buffer, sections: s } = allocateSections(MAGIC, FILE_VERSION, SECTIONS.map((kind, i) => ({ kind, length: lengths[i]! })));
    s[0]![0] = documents;
    s[1]!.set(spellingText.blob);
    s[2]!.set(spellingText.offsets);
    s[3]!.set(spellings.map((form) => dfOf.get(form)!));
    s[4]!.set(syllableText.blob);
    s[5]!.set(syllableText.offsets);
    let at = 0;
    syllableKeys.forEach((key, f) => {
      for (const [form] of syllables.get(key)!) s[7]![at++] = spellingIds.get(form)!;
      s[6]![f + 1] = at;
    });
    s[8]!.set(pairText.blob);
    s[9]!.set(pairText.offsets);
    at = 0;
    pairKeys.forEach((key, f) => {
      at += pairs.get(key)!.length;
      s[10]![f + 1] = at;
    });
    s[11]!.set(pairFormText.blob);
    s[12]!.set(pairFormText.offsets);
    s[13]!.set(pairForms.map(([, df]) => df));
    return new VocabularyFile(buffer, "a built vocabulary");
  }

  static fromBuffer(buffer: ArrayBuffer, name: string): VocabularyFile {
    return new VocabularyFile(buffer, name);
  }

  static async read(file: string): Promise<VocabularyFile> {
    return new VocabularyFile(await readAligned(file), file);
  }

  /** The file, byte for byte (a view). */
  get bytes(): Uint8Array {
    return new Uint8Array(this.buffer);
  }

  /** Passages that contain this exact syllable (0 when unknown). */
  documentFrequency(syllable: string): number {
    const id = this.spellings.find(syllable);
    return id < 0 ? 0 : this.spellingDf[id]!;
  }

  /** The spellings of a folded syllable, most frequent first. */
  syllablesOf(folded: string): Forms | undefined {
    const f = this.foldedSyllables.find(folded);
    if (f < 0) return undefined;
    const forms: Forms = [];
    for (let k = this.syllableStarts[f]!; k < this.syllableStarts[f + 1]!; k++) {
      const id = this.syllableMembers[k]!;
      forms.push([this.spellings.at(id), this.spellingDf[id]!]);
    }
    return forms;
  }

  /** The spellings of a folded pair, most frequent first. */
  pairsOf(folded: string): Forms | undefined {
    const f = this.foldedPairs.find(folded);
    if (f < 0) return undefined;
    const forms: Forms = [];
    for (let k = this.pairStarts[f]!; k < this.pairStarts[f + 1]!; k++) forms.push([this.pairSpellings.at(k), this.pairDf[k]!]);
    return forms;
  }
}
