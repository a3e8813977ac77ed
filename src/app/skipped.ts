import type { ArticleParseError } from "../domain/errors";
import type { Logger } from "../logger";

/*
 * Skipped files and records, as a person is told of them: one line per file with a count, never
 * one line per bad record (four data files once made 581,895 warning lines). The records
 * themselves are logged at debug level by `ingest`.
 */

/** The failures of one file: how many, and the first one's reason. */
export interface FileFailures {
  path: string;
  count: number;
  /** `"line 3"` / `"item 3"` when records inside the file failed (the rest of it loaded); null when the whole file did. */
  first: string | null;
  reason: string;
}

/** "line 7: why" (JSONL record) or "item 7: why" (JSON array item): set by the loaders and `loadCorpus`. */
const RECORD_FAILURE = /^((?:line|item) \d+): ([\s\S]*)$/;

/**
 * Failures grouped by file, in order of first appearance: what a person is told, one line per file
 * ("data.jsonl: 3 lines skipped (line 3: invalid JSON …)"), instead of one line per failure.
 */
export function failuresByFile(failures: ArticleParseError[]): FileFailures[] {
  const byPath = new Map<string, FileFailures>();
  for (const failure of failures) {
    const seen = byPath.get(failure.path);
    if (seen) {
      seen.count++;
      continue;
    }
    const record = RECORD_FAILURE.exec(failure.reason);
    byPath.set(failure.path, { path: failure.path, count: 1, first: record?.[1] ?? null, reason: record?.[2] ?? failure.reason });
  }
  return [...byPath.values()];
}

/**
 * One sentence per file: "skipped a.json: invalid JSON …" for a whole file; for records inside a
 * file that otherwise loaded, "data.jsonl: line 3 skipped (invalid JSON …)" or
 * "data.jsonl: 1,204 lines skipped (the first, line 3: invalid JSON …)".
 */
export function describeFileFailures(f: FileFailures, shownPath = f.path): string {
  if (f.first === null) return `skipped ${shownPath}: ${f.reason}${f.count > 1 ? ` (and ${f.count - 1} more problems)` : ""}`;
  if (f.count === 1) return `${shownPath}: ${f.first} skipped (${f.reason})`;
  const unit = f.first.startsWith("line") ? "lines" : "items";
  return `${shownPath}: ${f.count.toLocaleString("en-US")} ${unit} skipped (the first, ${f.first}: ${f.reason})`;
}

/** One warning per file with failures, for logs (the bot's re-index, the first build at start-up). */
export function logFailures(logger: Logger, failures: ArticleParseError[]): void {
  for (const f of failuresByFile(failures)) logger.warn({ path: f.path, count: f.count }, describeFileFailures(f));
}
