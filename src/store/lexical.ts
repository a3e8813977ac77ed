import MiniSearch, { type Options, type Query, type SearchResult } from "minisearch";
import { fold, indexTerms, PAIR_JOINER } from "../text/vietnamese";

/** What the lexical index needs of a passage. */
export interface LexicalDocument {
  /** The chunk's position in the store (its HNSW label too). */
  id: number;
  title: string;
  text: string;
  /** 0 for an article's lead passage. */
  ordinal: number;
}

/** One group of query terms searched in one kind of field. */
export interface TermQuery {
  terms: string[];
  /** Search the accent-folded fields instead of the exact ones. */
  folded: boolean;
  /** Multiplies the BM25 score of these terms. */
  boost: number;
}

export interface LexicalHit {
  id: number;
  score: number;
  /** The query terms (as given, exact or folded) that matched. */
  terms: string[];
}

/** Field weights: a title match counts double, a body match once. Tuned with `npm run eval`. */
export const FIELD_BOOST = { title: 2, text: 1 } as const;
/** The lead passage of an article states what it is about: a mild boost. */
export const LEAD_BOOST = 1.15;
/** BM25 parameters (MiniSearch's BM25+); k and b as in the usual defaults. */
const BM25 = { k: 1.2, b: 0.75, d: 0.5 };

const FIELDS = ["title", "text", "titleFolded", "textFolded"] as const;
type Field = (typeof FIELDS)[number];

const isFoldedField = (field: string) => field.endsWith("Folded");

function tokenizeField(text: string, field?: string): string[] {
  return indexTerms(field && isFoldedField(field) ? fold(text) : text);
}

function miniSearchOptions(): Options<LexicalDocument> {
  return {
    fields: [...FIELDS],
    storeFields: ["ordinal"],
    // The folded fields are the same text, folded at tokenisation time: nothing stored twice.
    extractField: (doc, field) => {
      const record = doc as unknown as Record<string, unknown>;
      // The id and stored fields keep their type; text fields are read as strings.
      if (field === "id" || field === "ordinal") return record[field];
      return String(record[isFoldedField(field) ? field.replace("Folded", "") : field] ?? "");
    },
    tokenize: tokenizeField,
    processTerm: (term: string) => term,
    searchOptions: { bm25: BM25, tokenize: (text: string) => [text], processTerm: (t: string) => t },
    autoVacuum: false,
  };
}

/**
 * BM25 over NFC syllables and syllable pairs, with accent-folded twins of each field.
 *
 * A thin layer over MiniSearch: it fixes the tokenisation (see `text/vietnamese.ts`) and the
 * field weights, and exposes one primitive, `search(queries)`, that the retriever composes.
 */
export class LexicalIndex {
  private constructor(private readonly index: MiniSearch<LexicalDocument>) {}

  /** Builds the index, yielding to the event loop between batches (a running bot stays responsive). */
  static async build(documents: LexicalDocument[]): Promise<LexicalIndex> {
    const index = new MiniSearch<LexicalDocument>(miniSearchOptions());
    await index.addAllAsync(documents, { chunkSize: 500 });
    return new LexicalIndex(index);
  }

  static async fromJSON(json: string): Promise<LexicalIndex> {
    return new LexicalIndex(await MiniSearch.loadJSONAsync<LexicalDocument>(json, miniSearchOptions()));
  }

  toJSON(): string {
    return JSON.stringify(this.index);
  }

  get documentCount(): number {
    return this.index.documentCount;
  }

  /**
   * Runs term groups in one BM25 pass; a document's score is the sum over the groups.
   * `filter` sees the document id (chunk position) and decides whether it may be returned.
   */
  search(queries: TermQuery[], filter?: (id: number) => boolean): LexicalHit[] {
    const groups: Query[] = queries
      .filter((q) => q.terms.length > 0)
      .map((q): Query => ({
        queries: q.terms,
        combineWith: "OR",
        fields: q.folded ? ["titleFolded", "textFolded"] : ["title", "text"],
        boost: q.folded
          ? { titleFolded: FIELD_BOOST.title * q.boost, textFolded: FIELD_BOOST.text * q.boost }
          : { title: FIELD_BOOST.title * q.boost, text: FIELD_BOOST.text * q.boost } as Record<string, number>,
      }));
    if (groups.length === 0) return [];
    const results: SearchResult[] = this.index.search(
      { combineWith: "OR", queries: groups },
      {
        boostDocument: (_id, _term, stored) => (stored?.["ordinal"] === 0 ? LEAD_BOOST : 1),
        ...(filter ? { filter: (r: SearchResult) => filter(r["id"] as number) } : {}),
      },
    );
    return results.map((r) => ({ id: r.id as number, score: r.score, terms: r.queryTerms }));
  }
}

/** `true` for a syllable-pair term ("hữu_lũng"). */
export const isPairTerm = (term: string) => term.includes(PAIR_JOINER);

export type { Field };
