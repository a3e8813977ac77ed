import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ArticleSummary, ReindexSummary } from "../../src/admin";
import {
  formatBytes,
  formatDuration,
  formatFeeds,
  formatNotDone,
  formatProgress,
  formatReindexBusy,
  formatReindexSummary,
  formatUploaded,
} from "../../src/bot/admin-format";
import { MESSAGE_LIMIT } from "../../src/bot/format";
import { parseTelegramHtml } from "../helpers/telegram-html";

/** Valid Telegram HTML within the message limit; returns the visible text. */
function checked(html: string): string {
  expect(html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
  return parseTelegramHtml(html).text;
}

const summary = (skipped: ReindexSummary["skipped"]): ReindexSummary => ({
  added: 1,
  updated: 2,
  removed: 0,
  unchanged: 10,
  articles: 13,
  passages: 80,
  embedded: 9,
  embedMs: 900,
  totalMs: 1234,
  written: true,
  files: 14,
  skipped,
});

/** Text from outside: HTML specials, Vietnamese, entities, very long runs. */
const wild = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: fc.constantFrom("<", ">", "&", '"', "b", "ư", " ", "\n"), maxLength: 3000 }),
  fc.constant("<b>not a tag</b> &amp; ".repeat(300)),
);

describe("admin replies stay valid Telegram HTML within 4096 characters", () => {
  it("a re-index summary with any skipped files and reasons (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ path: wild, reason: wild }), { maxLength: 40 }), (skipped) => {
        const text = checked(formatReindexSummary(summary(skipped), "/srv/corpus", "vi"));
        if (skipped.length > 0) expect(text).toContain(`Bỏ qua ${skipped.length} tệp hoặc bản ghi:`);
      }),
      { numRuns: 60 },
    );
  });

  it("an upload of many articles, refusals and errors with any reason, any feed list (property)", () => {
    const article = fc.record<ArticleSummary>({
      id: wild,
      title: wild,
      publishedAt: fc.constantFrom(null, "2024-03-01"),
      author: fc.option(wild, { nil: null }),
      url: fc.constantFrom(null, "https://example.vn/a?x=1&y=<2>", "javascript:alert(1)"),
      source: wild,
      firstLines: wild,
    });
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 12 }), wild, (articles, reason) => {
        const uploaded = checked(formatUploaded({ source: "uploads/tin.jsonl", articles, updated: false }, "en"));
        expect(uploaded).toContain(`${articles.length} article(s) indexed`);
        checked(formatNotDone({ status: "refused", code: "unparsable", reason }, "vi"));
        checked(formatNotDone({ status: "error", reason }, "en"));
        const feeds = articles.map((a, i) => ({ n: i + 1, url: `https://example.vn/rss/${i}?q=${a.id.slice(0, 400)}`, title: a.title, lastPolledAt: null, lastError: a.author, lastAdded: 0 }));
        for (const message of formatFeeds(feeds, "vi")) checked(message);
      }),
      { numRuns: 60 },
    );
  });

  it("lists the skipped files relative to the corpus folder, the first ten, and counts the rest", () => {
    const skipped = Array.from({ length: 12 }, (_, i) => ({ path: `/srv/corpus/json/f${i}.json`, reason: `line ${i}: Unexpected token <` }));
    const lines = checked(formatReindexSummary(summary(skipped), "/srv/corpus", "en")).split("\n");
    expect(lines[0]).toBe("✅ Re-indexed in 1.2 s: added 1 · updated 2 · removed 0 · unchanged 10.");
    expect(lines[4]).toBe("• json/f0.json: line 0: Unexpected token <");
    expect(lines.at(-1)).toBe("… and 2 more (see the log).");
  });
});

describe("progress and numbers", () => {
  it("shows phase, articles, passages, speed and time left, in the user's language", () => {
    const progress = { phase: "embed" as const, articlesDone: 120, articlesTotal: 500, passagesDone: 400, passagesTotal: 1600 };
    const speed = { elapsedMs: 75_000, passagesPerSecond: 35.25, etaMs: 34_000 };
    expect(checked(formatProgress({ full: true, progress, speed }, "en"))).toBe(
      "Re-indexing (full rebuild)\nPhase: embedding · running for 1 min 15 s\nArticles: 120/500 · passages: 400/1600\nSpeed: 35.3 passages/s · about 34 s left",
    );
    expect(checked(formatProgress({ full: false, progress, speed }, "vi"))).toBe(
      "Đang lập lại chỉ mục (các bài thay đổi)\nGiai đoạn: tạo vector · đã chạy 1 phút 15 giây\nBài: 120/500 · đoạn: 400/1600\nTốc độ: 35,3 đoạn/giây · còn khoảng 34 giây",
    );
    const running = { running: true, full: false, startedAt: 0, progress };
    expect(formatReindexBusy(running, 40_000, "en")).toBe(
      "⏳ A re-index is already running (changed articles, for 40 s): embedding, articles 120/500. Please wait for it to finish.",
    );
    expect(formatReindexBusy(null, 0, "en")).toBe("⏳ A re-index is already waiting behind earlier changes. Please wait for it to finish.");
  });

  it("formats durations and sizes", () => {
    expect([850, 3240, 59_600, 80_000, 7_500_000].map((ms) => formatDuration(ms, "en"))).toEqual(["850 ms", "3.2 s", "1 min 0 s", "1 min 20 s", "2 h 5 min"]);
    expect(formatDuration(3240, "vi")).toBe("3,2 giây");
    expect([512, 1536, 3.5 * 1024 * 1024].map((b) => formatBytes(b, "vi"))).toEqual(["512 B", "1,5 KB", "3,5 MB"]);
  });
});
