import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BuildSpeed, ThrottledMessage } from "../../src/bot/progress-message";

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** A message whose edits are recorded, each taking `editMs` to complete. */
function recorder(editMs = 0) {
  const edits: Array<{ text: string; at: number }> = [];
  let running = 0;
  let overlapped = false;
  const edit = async (text: string) => {
    running++;
    if (running > 1) overlapped = true;
    edits.push({ text, at: Date.now() });
    if (editMs > 0) await new Promise((resolve) => setTimeout(resolve, editMs));
    running--;
  };
  return { edits, edit, overlapped: () => overlapped };
}

describe("ThrottledMessage", () => {
  it("edits at most once per interval (the send counts), showing only the newest text", async () => {
    const r = recorder();
    const message = new ThrottledMessage({ initialText: "0", intervalMs: 3000, edit: r.edit });
    message.update("1");
    await vi.advanceTimersByTimeAsync(2999);
    expect(r.edits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.edits).toEqual([{ text: "1", at: 3000 }]);

    message.update("2");
    message.update("3");
    await vi.advanceTimersByTimeAsync(3000);
    expect(r.edits.map((e) => e.text)).toEqual(["1", "3"]);
    expect(r.edits[1]!.at).toBe(6000);
  });

  it("never sends the text already shown (Telegram: 'message is not modified')", async () => {
    const r = recorder();
    const message = new ThrottledMessage({ initialText: "0", intervalMs: 1000, edit: r.edit });
    message.update("0");
    await vi.advanceTimersByTimeAsync(5000);
    message.update("1");
    message.update("0");
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.edits).toEqual([]);
    await message.finish("0");
    expect(r.edits).toEqual([]);
  });

  it("never overlaps edits, and finish waits for the one in flight, then shows the final text at once", async () => {
    const r = recorder(2500);
    const message = new ThrottledMessage({ initialText: "0", intervalMs: 1000, edit: r.edit });
    message.update("1");
    await vi.advanceTimersByTimeAsync(1000); // "1" starts, takes 2.5 s
    message.update("2");
    await vi.advanceTimersByTimeAsync(1500); // the interval passed, but "1" is still under way
    expect(r.edits.map((e) => e.text)).toEqual(["1"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.edits.map((e) => e.text)).toEqual(["1", "2"]);

    const finished = message.finish("done");
    message.update("late"); // ignored after finish
    await vi.advanceTimersByTimeAsync(10_000);
    await finished;
    expect(r.edits.map((e) => e.text)).toEqual(["1", "2", "done"]);
    expect(r.overlapped()).toBe(false);
  });

  it("reports a failed edit and goes on with the next", async () => {
    const errors: unknown[] = [];
    const shown: string[] = [];
    const message = new ThrottledMessage({
      initialText: "0",
      intervalMs: 0,
      edit: async (text) => {
        if (text === "1") throw new Error("Bad Request: message to edit not found");
        shown.push(text);
      },
      onError: (error) => errors.push(error),
    });
    message.update("1");
    await vi.advanceTimersByTimeAsync(0);
    message.update("2");
    await vi.advanceTimersByTimeAsync(0);
    await message.finish("3");
    expect(errors).toHaveLength(1);
    expect(shown).toEqual(["2", "3"]);
  });
});

describe("BuildSpeed", () => {
  const embed = (passagesDone: number, passagesTotal = 1000) => ({ phase: "embed" as const, articlesDone: 0, articlesTotal: 100, passagesDone, passagesTotal });

  it("measures passages/s over the embed phase only, and the time left from it", () => {
    const speed = new BuildSpeed(0);
    speed.observe({ phase: "chunk", articlesDone: 0, articlesTotal: 100, passagesDone: 0, passagesTotal: 0 });
    vi.setSystemTime(2000);
    // 400 passages were reused from the previous index: reported done at once, not embedded.
    speed.observe(embed(400));
    vi.setSystemTime(2500);
    speed.observe(embed(450));
    expect(speed.view()).toEqual({ elapsedMs: 2500, passagesPerSecond: null, etaMs: null }); // under 1 s measured
    vi.setSystemTime(6000);
    speed.observe(embed(600));
    expect(speed.view()).toEqual({ elapsedMs: 6000, passagesPerSecond: 50, etaMs: 8000 });

    vi.setSystemTime(14_000);
    speed.observe({ phase: "index", articlesDone: 100, articlesTotal: 100, passagesDone: 1000, passagesTotal: 1000 });
    expect(speed.view()).toMatchObject({ passagesPerSecond: 1000 * (600 / 12_000), etaMs: null });
  });

  it("has no speed without an embed phase (no model: lexical only)", () => {
    const speed = new BuildSpeed(0);
    speed.observe({ phase: "chunk", articlesDone: 0, articlesTotal: 10, passagesDone: 0, passagesTotal: 0 });
    vi.setSystemTime(5000);
    speed.observe({ phase: "save", articlesDone: 10, articlesTotal: 10, passagesDone: 40, passagesTotal: 40 });
    expect(speed.view()).toEqual({ elapsedMs: 5000, passagesPerSecond: null, etaMs: null });
  });
});
