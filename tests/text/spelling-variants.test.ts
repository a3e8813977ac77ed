import { describe, expect, it } from "vitest";
import { canonicalKeys, variantOccurrences, variantTerms } from "../../src/text/spelling-variants";
import { fold } from "../../src/text/vietnamese";

describe("spelling variants", () => {
  it("reads every spelling of a word as its group's first, syllable for syllable", () => {
    expect(canonicalKeys(["tiêm", "vắc", "xin", "covid"])).toEqual(["tiêm", "vaccine", "vaccine", "covid"]);
    expect(canonicalKeys(["tiêm", "vắcxin"])).toEqual(["tiêm", "vaccine"]);
    expect(canonicalKeys(["chủng", "vi", "rút", "mới"])).toEqual(["chủng", "virus", "virus", "mới"]);
  });

  it("reads an abbreviation and its words alike, but not a syllable of the words elsewhere ('viên' of 'nhân viên')", () => {
    expect(canonicalKeys(["hlv", "park"])).toEqual(["hlv", "park"]);
    expect(canonicalKeys(["huấn", "luyện", "viên", "park"])).toEqual(["hlv", "hlv", "hlv", "park"]);
    expect(canonicalKeys(["nhân", "viên", "câu", "lạc", "bộ"])).toEqual(["nhân", "viên", "clb", "clb", "clb"]);
    expect(canonicalKeys(["dai", "hoc", "y"], fold)).toEqual(["dh", "dh", "y"]);
    expect(variantTerms(["hlv"], "_")).toEqual(expect.arrayContaining(["huấn_luyện", "luyện_viên"]));
  });

  it("leaves the syllables alone outside the spelling: 'xin' of 'xin lỗi' is no vaccine", () => {
    expect(canonicalKeys(["xin", "lỗi", "vi", "phạm"])).toEqual(["xin", "lỗi", "vi", "phạm"]);
    expect(variantOccurrences(["xin", "chào"])).toEqual([]);
  });

  it("matches folded keys, as a question typed without accents is read", () => {
    expect(canonicalKeys(["tiem", "vac", "xin"], fold)).toEqual(["tiem", "vaccine", "vaccine"]);
  });

  it("gives retrieval the other spellings, as syllables and pairs", () => {
    const terms = variantTerms(["tiêm", "vaccine"], "_");
    expect(terms).toEqual(expect.arrayContaining(["vắc", "xin", "vắc_xin", "vắcxin"]));
    expect(terms).not.toContain("vaccine");
    expect(variantTerms(["tiêm", "vắc", "xin"], "_")).toContain("vaccine");
    expect(variantTerms(["xin", "chào"], "_")).toEqual([]);
  });
});
