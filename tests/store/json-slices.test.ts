import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInSlices, parseObjectInSlices } from "../../src/store/json-slices";

/** Re-assembles what `parseInSlices` hands over, slice by slice. */
async function sliced(text: string, sliceChars: number): Promise<unknown> {
  const slices: unknown[] = [];
  const end = await parseInSlices(text, 0, (slice) => slices.push(slice), sliceChars);
  expect(end).toBe(text.length);
  return Array.isArray(slices[0]) ? (slices as unknown[][]).flat() : Object.assign({}, ...(slices as object[]));
}

describe("parseInSlices", () => {
  it("gives what JSON.parse gives, for any array or object and any slice size", async () => {
    // Strings with quotes, backslashes, commas and brackets: the characters the scanner must not cut at.
    const tricky = fc.string({ unit: fc.constantFrom("a", "ư", '"', "\\", ",", "[", "]", "{", "}", ":", " ", "\n") });
    const value = fc.oneof(tricky, fc.integer(), fc.array(fc.tuple(tricky, fc.integer())), fc.dictionary(tricky, fc.integer()));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(value), fc.dictionary(tricky, value)), fc.integer({ min: 1, max: 64 }), async (json, sliceChars) => {
        const text = JSON.stringify(json);
        expect(await sliced(text, sliceChars)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a container that does not end", async () => {
    await expect(parseInSlices('["a", "b"', 0, () => undefined)).rejects.toThrow(SyntaxError);
  });
});

describe("parseObjectInSlices", () => {
  it("hands the large members over in slices and returns the rest", async () => {
    const header = { version: 1, documents: 3, terms: Array.from({ length: 500 }, (_, i) => `t"${i},`), leads: [0, 2] };
    const terms: string[] = [];
    const rest = await parseObjectInSlices(JSON.stringify(header), ["terms"], (_key, slice) => terms.push(...(slice as string[])));
    expect(terms).toEqual(header.terms);
    expect(rest).toEqual({ ...header, terms: [] });
  });

  it("falls back to one parse when a large member is not where it expects it", async () => {
    const text = JSON.stringify({ pairs: { b: 2 }, syllables: { a: 1 } });
    const seen: Record<string, unknown> = {};
    const calls: string[] = [];
    const rest = await parseObjectInSlices(text, ["syllables", "pairs"], (key, slice) => (calls.push(key), (seen[key] = slice)));
    expect(calls).toEqual(["syllables", "pairs"]);
    expect(seen).toEqual({ syllables: { a: 1 }, pairs: { b: 2 } });
    expect(rest).toEqual({ pairs: {}, syllables: {} });
  });
});
