import fs from "node:fs/promises";
import path from "node:path";

/** One admin action, as a line of `logs/audit.jsonl`. */
export interface AuditEntry {
  /** ISO date-time. */
  at: string;
  /** Telegram user id; null for the bot itself (feed polls). */
  userId: number | null;
  username?: string;
  /** "add", "upload", "delete", "undelete", "reindex", "feeds-add", "feeds-remove", "feed-poll", … */
  action: string;
  /** The URL, file name, article id or feed the action was about. */
  target?: string;
  result: "ok" | "refused" | "error";
  /** The reason of a refusal or error, or a short summary of what changed. */
  detail?: string;
}

export const DEFAULT_AUDIT_PATH = "logs/audit.jsonl";

/**
 * An append-only JSON-lines log of who did what, when, with what result. Appends are serialised,
 * so lines never interleave and keep their order; the folder is created on first use.
 *
 * @example
 *   const audit = new AuditLog("logs/audit.jsonl");
 *   await audit.record({ userId: 42, action: "delete", target: "a1", result: "ok" });
 */
export class AuditLog {
  readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(file: string = DEFAULT_AUDIT_PATH) {
    this.file = path.resolve(file);
  }

  /** Appends one entry (`at` defaults to now). Rejects when the line could not be written. */
  record(entry: Omit<AuditEntry, "at"> & { at?: string }): Promise<void> {
    const line: AuditEntry = { at: entry.at ?? new Date().toISOString(), ...withoutUndefined(entry) };
    const text = JSON.stringify(line) + "\n";
    const next = this.writing
      .catch(() => undefined)
      .then(async () => {
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        await fs.appendFile(this.file, text);
      });
    this.writing = next;
    return next;
  }

  /** The last `n` entries, oldest first (after pending appends); a torn last line is skipped. */
  async recent(n: number): Promise<AuditEntry[]> {
    await this.writing.catch(() => undefined);
    let text: string;
    try {
      text = await fs.readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const entries: AuditEntry[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        // A line cut short by a crash: the others are still good.
      }
    }
    return n > 0 ? entries.slice(-n) : [];
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
