import type { BuildSummary } from "../store";

export interface IngestRecord {
  at: string;
  ms: number;
  ok: boolean;
  summary?: Pick<BuildSummary, "added" | "updated" | "removed" | "unchanged" | "passages">;
  error?: string;
}

/** Keeps this many latencies for percentiles: a day of a busy newsroom bot. */
const WINDOW = 5000;

/** Counters for /stats: questions today, latency percentiles, not-found rate, last ingest. */
export class QuestionStats {
  private day = today();
  private questions = 0;
  private notFound = 0;
  private latencies: number[] = [];
  lastIngest: IngestRecord | null = null;

  record(latencyMs: number, notFound: boolean): void {
    if (today() !== this.day) {
      this.day = today();
      this.questions = 0;
      this.notFound = 0;
    }
    this.questions++;
    if (notFound) this.notFound++;
    this.latencies.push(latencyMs);
    if (this.latencies.length > WINDOW) this.latencies.splice(0, this.latencies.length - WINDOW);
  }

  recordIngest(record: IngestRecord): void {
    this.lastIngest = {
      ...record,
      ...(record.summary
        ? { summary: { added: record.summary.added, updated: record.summary.updated, removed: record.summary.removed, unchanged: record.summary.unchanged, passages: record.summary.passages } }
        : {}),
    };
  }

  snapshot() {
    return {
      questionsToday: this.questions,
      notFoundRate: this.questions ? this.notFound / this.questions : 0,
      latencyP50Ms: percentile(this.latencies, 0.5),
      latencyP95Ms: percentile(this.latencies, 0.95),
      lastIngest: this.lastIngest,
    };
  }
}

/** Nearest-rank percentile; 0 for no data. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const today = () => new Date().toISOString().slice(0, 10);
