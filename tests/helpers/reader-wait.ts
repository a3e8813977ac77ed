/**
 * What a reader waits for an answer while something else runs: questions are scheduled at a
 * fixed interval and each wait is measured from its scheduled time to its answer, so time the
 * event loop spent blocked (a question that could not even start) counts, as it would for a
 * Telegram user. Shared by the hostile-upload test and `bench/hostile.bench.ts`.
 */
export interface ReaderWaits {
  /** Every wait, in ms, in the order asked. */
  waitsMs: number[];
  maxMs: number;
  p50Ms: number;
}

/**
 * Asks `ask()` every `intervalMs` until `during` settles (at least once), and returns the waits
 * with `during`'s result.
 * @example
 *   const { result, waits } = await readerWaits(() => service.ask("…"), () => admin.addUpload(…));
 */
export async function readerWaits<T>(
  ask: () => Promise<unknown>,
  during: () => Promise<T>,
  intervalMs = 50,
): Promise<{ result: T; waits: ReaderWaits }> {
  const waitsMs: number[] = [];
  let done = false;
  const start = performance.now();
  const asking = (async () => {
    for (let i = 0; !done || i === 0; i++) {
      const scheduled = start + i * intervalMs;
      // Always through a timer, even when behind schedule: a question answered without real
      // I/O resolves in microtasks, and a loop of those would starve the events it measures.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, scheduled - performance.now())));
      await ask();
      waitsMs.push(performance.now() - scheduled);
    }
  })();
  try {
    const result = await during();
    done = true;
    await asking;
    return { result, waits: summarise(waitsMs) };
  } finally {
    done = true;
  }
}

/** Waits of questions asked one after another with nothing else running: the usual wait. */
export async function quietWaits(ask: () => Promise<unknown>, count = 20): Promise<ReaderWaits> {
  const waitsMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await ask();
    waitsMs.push(performance.now() - started);
  }
  return summarise(waitsMs);
}

function summarise(waitsMs: number[]): ReaderWaits {
  const sorted = [...waitsMs].sort((a, b) => a - b);
  return { waitsMs, maxMs: sorted.at(-1) ?? 0, p50Ms: sorted[Math.floor(sorted.length / 2)] ?? 0 };
}

/** Runs `work` while a 10 ms timer ticks on this thread; returns its result and the longest gap between ticks. */
export async function withLoopLag<T>(work: () => Promise<T>): Promise<{ result: T; lagMs: number }> {
  let last = performance.now();
  let lagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last);
    last = now;
  }, 10);
  try {
    return { result: await work(), lagMs };
  } finally {
    clearInterval(timer);
  }
}
