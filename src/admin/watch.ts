import type { QaService } from "../app";
import type { Logger } from "../logger";
import { currentVersion } from "../store";

export interface WatchOptions {
  /** How often CURRENT is read (ms); default 5000. */
  intervalMs?: number;
  logger?: Logger;
  /** Told after a version was loaded and switched in (tests, the admin's chat). */
  onReload?: (version: string) => void;
}

const DEFAULT_INTERVAL_MS = 5000;

/**
 * Picks up an index that `npm run ingest` rebuilt while the bot runs: every `intervalMs` it reads
 * `embeddings/CURRENT` (one small file) and, when it names another version than the one in
 * service, calls `service.reload()`. Polling, not `fs.watch`: the save replaces CURRENT by rename,
 * which file watchers report unreliably across platforms.
 *
 * Skipped while the service re-indexes itself (it switches to its own result), never overlapping,
 * and a version that fails to load is not retried until CURRENT changes again. Returns `stop`.
 *
 * @example
 *   const stop = watchIndex(service, { logger });
 *   process.once("SIGTERM", stop);
 */
export function watchIndex(service: QaService, options: WatchOptions = {}): () => void {
  const indexDir = service.config.indexDir;
  let failed: string | null = null;
  let busy = false;

  const check = async (): Promise<void> => {
    if (busy || service.reindexStatus) return;
    busy = true;
    let onDisk: string | null = null;
    try {
      onDisk = await currentVersion(indexDir);
      if (!onDisk || onDisk === service.index.location || onDisk === failed) return;
      if (await service.reload()) {
        options.logger?.info({ version: onDisk }, "index on disk changed: switched to it");
        options.onReload?.(onDisk);
      }
    } catch (error) {
      failed = onDisk;
      options.logger?.error({ err: error, version: onDisk }, "could not load the index version on disk; keeping the one in service");
    } finally {
      busy = false;
    }
  };

  const timer = setInterval(() => void check(), options.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
