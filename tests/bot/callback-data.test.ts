import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnswerContexts } from "../../src/bot/answer-contexts";
import { CALLBACK_DATA_MAX_BYTES, decodeCallback, encodeCallback, versionTag, type CallbackAction } from "../../src/bot/callback-data";

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
const n = fc.integer({ min: 0, max: 9999 });
const action: fc.Arbitrary<CallbackAction> = fc.oneof(
  fc.record({ kind: fc.constant("view" as const), version: id, context: id, page: n }),
  fc.record({ kind: fc.constant("source" as const), version: id, context: id, n, from: n }),
  fc.record({ kind: fc.constant("passage" as const), version: id, context: id, index: n, from: n }),
  fc.record({ kind: fc.constant("headline" as const), version: id, context: id, index: n }),
);

describe("callback data", () => {
  it("stays within 64 bytes and round-trips for every action", () => {
    fc.assert(
      fc.property(action, (a) => {
        const data = encodeCallback(a);
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
        expect(decodeCallback(data)).toEqual(a);
      }),
    );
  });

  it("is compact with real tags and ids", () => {
    const contexts = new AnswerContexts(2);
    const context = contexts.add({ version: "v", chatId: 1, language: "vi", answer: {} as never, extra: [] });
    const data = encodeCallback({ kind: "passage", version: versionTag("2024-03-01T10:00:00.000Z"), context: context.id, index: 11, from: 4 });
    expect(data).toMatch(/^p:[\w-]{6}:[\w-]{8}:11:4$/);
  });

  it("rejects data it did not produce", () => {
    for (const data of ["", "x", "v:abc", "v:abc:def:1:2", "s:abc:def:1", "q:abc:def:1", "v:a b:c:1", "v:abc:def:-1", "src:1:2"]) {
      expect(decodeCallback(data)).toBeNull();
    }
  });

  it("tags index versions apart", () => {
    expect(versionTag("2024-01-01T00:00:00.000Z")).toHaveLength(6);
    expect(versionTag("2024-01-01T00:00:00.000Z")).not.toBe(versionTag("2024-01-01T00:00:00.001Z"));
  });
});

describe("AnswerContexts", () => {
  const fields = (chatId: number) => ({ version: "v", chatId, language: "vi" as const, answer: {} as never, extra: [] });

  it("evicts the least recently used context and remembers each chat's latest", () => {
    const contexts = new AnswerContexts(2);
    const a = contexts.add(fields(1));
    const b = contexts.add(fields(2));
    expect(contexts.get(a.id)).toBe(a); // a is now the most recent
    const c = contexts.add(fields(1));
    expect(contexts.get(b.id)).toBeUndefined();
    expect(contexts.get(a.id)).toBe(a);
    expect(contexts.latestFor(1)).toBe(c);
    expect(contexts.latestFor(2)).toBeUndefined();
  });
});
