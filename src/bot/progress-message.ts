/**
 * A message that shows the progress of long work by being edited in place, within Telegram's
 * limits, and the speed and time-left estimate shown in it. No grammY here: the caller passes the
 * edit function, so the throttling is tested with a fake clock.
 */
import type { BuildProgress } from "../store";

/** Telegram allows about one edit a second per chat, fewer in bursts: one every 3 s is safe. */
export const PROGRESS_EDIT_INTERVAL_MS = 3000;

export interface ThrottledMessageOptions {
  /** The text the message was sent with. */
  initialText: string;
  /** At least this long between two edits, counting the send as the first (ms). */
  intervalMs?: number;
  /** Replaces the message's text. Rejections are passed to `onError`; they never stop later edits. */
  edit: (text: string) => Promise<void>;
  onError?: (error: unknown) => void;
  now?: () => number;
}

/**
 * Shows the latest text given to `update`, editing the message at most once per `intervalMs`.
 * Texts in between are dropped (only the newest matters), a text equal to the one shown is never
 * sent (Telegram answers that with "message is not modified"), and edits never overlap.
 *
 * @example
 *   const message = new ThrottledMessage({ initialText, edit: (text) => api.editMessageText(chat, id, text) });
 *   onProgress = (p) => message.update(render(p));
 *   await message.finish(summary);
 */
export class ThrottledMessage {
  private shown: string;
  private wanted: string;
  private lastEditAt: number;
  private timer: NodeJS.Timeout | null = null;
  private editing: Promise<void> = Promise.resolve();
  private finished = false;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ThrottledMessageOptions) {
    this.shown = this.wanted = options.initialText;
    this.intervalMs = options.intervalMs ?? PROGRESS_EDIT_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.lastEditAt = this.now();
  }

  /** The text to show next; shown when the interval since the last edit has passed. */
  update(text: string): void {
    if (this.finished) return;
    this.wanted = text;
    this.schedule();
  }

  /** Stops the updates, waits for an edit in flight, then shows `text` (if it is not shown already). */
  async finish(text: string): Promise<void> {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wanted = text;
    this.flush();
    await this.editing;
  }

  private schedule(): void {
    if (this.timer || this.wanted === this.shown) return;
    const wait = Math.max(0, this.lastEditAt + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
    // A progress edit must not keep a stopping process alive.
    this.timer.unref?.();
  }

  private flush(): void {
    const text = this.wanted;
    if (text === this.shown) return;
    this.shown = text;
    this.lastEditAt = this.now();
    this.editing = this.editing
      .then(() => this.options.edit(text))
      .catch((error: unknown) => this.options.onError?.(error))
      // A newer text may have arrived while this edit was under way.
      .finally(() => this.schedule());
  }
}

/** Speed and time left of a build, as shown in its progress message. */
export interface BuildSpeedView {
  elapsedMs: number;
  /** Passages embedded per second; null until there is a measurement (or with no model). */
  passagesPerSecond: number | null;
  /** Time left of the embedding, the long part; null when unknown. */
  etaMs: number | null;
}

/** A speed is only shown once it was measured over at least this long (ms). */
const MIN_MEASURE_MS = 1000;

/**
 * Measures the embedding speed from the progress reports. Only the embed phase counts: passages
 * reused from the previous index are reported done at once and would inflate the speed.
 */
export class BuildSpeed {
  private first: { at: number; passages: number } | null = null;
  private last: { at: number; passages: number; total: number; phase: BuildProgress["phase"] } | null = null;

  constructor(
    private readonly startedAt: number,
    private readonly now: () => number = Date.now,
  ) {}

  observe(progress: BuildProgress): void {
    const at = this.now();
    if (progress.phase === "embed") this.first ??= { at, passages: progress.passagesDone };
    this.last = { at, passages: progress.passagesDone, total: progress.passagesTotal, phase: progress.phase };
  }

  view(): BuildSpeedView {
    const elapsedMs = Math.max(0, this.now() - this.startedAt);
    const { first, last } = this;
    if (!first || !last || last.at - first.at < MIN_MEASURE_MS || last.passages <= first.passages) {
      return { elapsedMs, passagesPerSecond: null, etaMs: null };
    }
    const passagesPerSecond = ((last.passages - first.passages) * 1000) / (last.at - first.at);
    const etaMs = last.phase === "embed" ? ((last.total - last.passages) / passagesPerSecond) * 1000 : null;
    return { elapsedMs, passagesPerSecond, etaMs };
  }
}
