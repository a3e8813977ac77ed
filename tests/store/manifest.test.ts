import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORMAT_VERSION, manifestText, parseBuildManifest, parseManifestHead, type Manifest } from "../../src/store/manifest";

const manifest = (articles: Record<string, string>, extra: Partial<Manifest> = {}): Manifest => ({
  formatVersion: FORMAT_VERSION,
  builtAt: "2026-12-02T00:25:18.829Z",
  buildMs: 1234,
  model: null,
  denseOffReason: "DENSE_RETRIEVAL=off",
  hnsw: { m: 16, efConstruction: 200, efSearch: 96, space: "cosine" },
  chunking: { maxChars: 900, overlapSentences: 1 },
  counts: { articles: Object.keys(articles).length, chunks: 7 },
  segments: [{ name: "s-1", articles: 2, chunks: 7, deadArticles: 0, deadChunks: 0 }],
  baseSegments: 1,
  articles,
  ...extra,
});

/** What `JSON.parse` gives, less the content hashes: what `parseManifestHead` must give. */
const expected = (text: string) => {
  const { articles: _, ...head } = JSON.parse(text) as Manifest;
  return head;
};

describe("parseManifestHead", () => {
  it("parses a manifest as written (indented) and on one line, without its content hashes", () => {
    const m = manifest({ "vnexpress-1": "c34b0d5d", "tuoitre-2": "35831c2a" });
    for (const text of [JSON.stringify(m, null, 2), JSON.stringify(m)]) {
      const head = parseManifestHead(text);
      expect(head).toEqual(expected(text));
      expect(head).not.toHaveProperty("articles");
    }
  });

  it("skips the hashes wherever the member stands, whatever the ids hold (quotes, braces, backslashes, the word articles)", () => {
    const tricky = { 'a"}': "x\\", "{[": "]}", "articles": '"articles": {', "\\": "\\\\\"", "ư": "\u2028" };
    const { articles, ...rest } = manifest(tricky);
    const first = JSON.stringify({ articles, ...rest }, null, 2);
    const middle = JSON.stringify({ ...rest, articles, baseSegments: 3 }, null, "\t");
    for (const text of [first, middle, JSON.stringify(manifest({}))]) expect(parseManifestHead(text)).toEqual(expected(text));
  });

  it("gives what JSON.parse gives for any ids and hashes, and refuses what JSON.parse refuses", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: "binary" }), fc.string({ unit: "binary" })), fc.integer({ min: 0, max: 4 }), (articles, indent) => {
        const text = JSON.stringify(manifest(articles), null, indent);
        expect(parseManifestHead(text)).toEqual(expected(text));
        // Cut anywhere (a manifest written halfway), it is refused as JSON.parse refuses it.
        const cut = text.slice(0, Math.floor(text.length / 2));
        expect(() => parseManifestHead(cut)).toThrow(SyntaxError);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a manifest whose hashes member is not closed (a file cut short)", () => {
    const text = JSON.stringify(manifest({ a: "1", b: "2" }), null, 2);
    for (const cut of [text.slice(0, text.indexOf('"b"')), text.slice(0, text.indexOf('"2"') + 2), text.slice(0, -2)]) {
      expect(() => parseManifestHead(cut)).toThrow(SyntaxError);
    }
  });
});

describe("parseBuildManifest and manifestText", () => {
  /** The manifest as a build holds it: its hashes in a Map, in the order the object gives them. */
  const held = (m: Manifest) => ({ ...m, articles: new Map(Object.entries(m.articles)) });

  it("write what JSON.stringify writes, byte for byte, and read back what was written, for any ids and hashes", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: "binary" }), fc.string({ unit: "binary" })), (articles) => {
        const m = manifest(articles);
        const text = manifestText(held(m));
        expect(text).toBe(JSON.stringify(m, null, 2));
        expect(parseBuildManifest(text)).toEqual(held(m));
      }),
      { numRuns: 200 },
    );
  });

  it("read a manifest however it is laid out, the hashes member anywhere", () => {
    const tricky = { 'a"}': "x\\", "{[": "]}", "articles": '"articles": {', "\\": "\\\\\"", "ư": "\u2028", "12": "numeric ids come first in an object" };
    const { articles, ...rest } = manifest(tricky);
    for (const text of [JSON.stringify({ articles, ...rest }), JSON.stringify({ ...rest, articles }, null, "\t"), JSON.stringify(manifest({}))]) {
      const parsed = JSON.parse(text) as Manifest;
      expect(parseBuildManifest(text)).toEqual(held(parsed));
    }
  });

  it("refuse hashes that are not an object of strings, and a manifest cut short", () => {
    const text = JSON.stringify(manifest({ a: "1", b: "2" }), null, 2);
    for (const bad of [text.replace('"2"', "2"), text.replace('"b": "2"', '"b": ["2"]'), text.replace('"a": "1",', '"a" "1",'), text.slice(0, text.indexOf('"2"') + 2)]) {
      expect(() => parseBuildManifest(bad), bad).toThrow(SyntaxError);
    }
  });
});
