import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE, findProfile, profileFor } from "../../src/embed";

describe("profileFor", () => {
  it("gives e5 its query and passage prefixes, mean pooling and 512 tokens", () => {
    expect(profileFor("Xenova/multilingual-e5-small")).toEqual({
      queryPrefix: "query: ",
      passagePrefix: "passage: ",
      pooling: "mean",
      normalize: true,
      maxTokens: 512,
    });
    expect(profileFor("Xenova/multilingual-e5-large").queryPrefix).toBe("query: ");
  });

  it("uses CLS pooling without prefixes for bge-m3", () => {
    const profile = profileFor("Xenova/bge-m3");
    expect(profile.pooling).toBe("cls");
    expect(profile.queryPrefix).toBe("");
    expect(profile.passagePrefix).toBe("");
  });

  it("finds a profile by a local folder's basename, whatever the case or trailing slash", () => {
    expect(profileFor("/srv/models/multilingual-e5-base/").passagePrefix).toBe("passage: ");
    expect(profileFor("models\\Paraphrase-Multilingual-MiniLM-L12-v2").maxTokens).toBe(128);
  });

  it("falls back to no prefixes, mean pooling, normalised for an unknown model", () => {
    expect(findProfile("someone/unknown-model")).toBeUndefined();
    expect(profileFor("someone/unknown-model")).toBe(DEFAULT_PROFILE);
    expect(DEFAULT_PROFILE).toMatchObject({ queryPrefix: "", passagePrefix: "", pooling: "mean", normalize: true });
  });
});
