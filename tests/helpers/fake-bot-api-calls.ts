/**
 * The record of every request the bot made to the fake, and waiting for the one a test expects.
 *
 * Why waitFor looks back to the last pushed update by default: the bot answers asynchronously, so a
 * test that pushes an update and then waits must not miss a call that was made before it started
 * waiting, nor match a call made for an earlier update.
 */
import type { Params } from "./fake-bot-api-http";
import type { BotApiErrorBody } from "./fake-bot-api-rules";

/** A response body as it goes over the wire. */
export type ApiResponse = { ok: true; result: unknown } | BotApiErrorBody;

/** One request the bot made. `response` is set once answered (a long poll may take a while). */
export interface Call {
  /** Position in the list of calls. */
  index: number;
  /** As the client spelled it; file downloads are recorded as the pseudo-method "file". */
  method: string;
  params: Params;
  /** ms since the epoch, when the request arrived. */
  time: number;
  response?: ApiResponse;
  /** Set when an injected failure dropped the connection instead of answering. */
  dropped?: true;
}

export interface WaitForOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /**
   * Only calls from this index on (or after this call). Default: calls since the last update the
   * test pushed, i.e. what the bot did in response to it, including calls already made.
   */
  since?: number | Call;
}

const DEFAULT_WAIT_TIMEOUT_MS = 5000;

interface Waiter {
  matches: (call: Call) => boolean;
  resolve: (call: Call) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** The calls, in arrival order, and the waitFor promises watching them. */
export class CallLog {
  /** Every request, in arrival order. */
  readonly calls: Call[] = [];
  private readonly waiters = new Set<Waiter>();
  /** Index of the first call after the latest pushed update. */
  private sinceLastPush = 0;

  constructor(
    /** Named in the timeout message when the bot made no calls at all. */
    private readonly apiRoot: () => string,
  ) {}

  /** The test pushed an update: what follows is the bot's response to it. */
  markPush(): void {
    this.sinceLastPush = this.calls.length;
  }

  record(method: string, params: Params, time: number): Call {
    const call: Call = { index: this.calls.length, method, params, time };
    this.calls.push(call);
    return call;
  }

  /** The call has its response (or was dropped): wake whoever waits for it. */
  settled(call: Call): void {
    for (const waiter of this.waiters) {
      if (!waiter.matches(call)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(call);
    }
  }

  callsTo(method: string): Call[] {
    const wanted = method.toLowerCase();
    return this.calls.filter((call) => call.method.toLowerCase() === wanted);
  }

  waitFor(match: string | ((call: Call) => boolean), options: WaitForOptions = {}): Promise<Call> {
    const { timeoutMs = DEFAULT_WAIT_TIMEOUT_MS, since } = options;
    const from = since === undefined ? this.sinceLastPush : typeof since === "number" ? since : since.index + 1;
    const predicate =
      typeof match === "string" ? (call: Call) => call.method.toLowerCase() === match.toLowerCase() : match;
    const matches = (call: Call): boolean => {
      if (call.index < from || (call.response === undefined && call.dropped !== true)) return false;
      try {
        return predicate(call);
      } catch {
        return false; // a predicate reading a field this call lacks is simply not a match
      }
    };
    const found = this.calls.find(matches);
    if (found !== undefined) return Promise.resolve(found);

    const label = typeof match === "string" ? match : match.name || "predicate";
    return new Promise<Call>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`waitFor(${label}) saw no matching call within ${timeoutMs} ms.\n${this.describe(from)}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Rejects every pending waitFor (the fake is closing). */
  rejectWaiters(reason: string): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(reason));
    }
    this.waiters.clear();
  }

  /** The calls since `from`, one line each, for waitFor's timeout message. */
  private describe(from: number): string {
    const recent = this.calls.slice(from);
    const calls = recent.filter((call) => call.method !== "getUpdates");
    const where = from === this.sinceLastPush ? "since the last pushed update" : `since call #${from}`;
    if (calls.length === 0) {
      return (
        `The bot made no calls ${where} (${recent.length} getUpdates). Is it running against ${this.apiRoot()} ` +
        `(run(bot) or bot.start())? Did a handler throw? Install bot.catch(...) to see its errors.`
      );
    }
    const lines = calls.slice(-20).map((call) => `  #${call.index} ${call.method} ${brief(call.params)} → ${outcome(call)}`);
    return `Calls ${where} (getUpdates omitted):\n${lines.join("\n")}`;
  }
}

function brief(params: Params): string {
  const json = JSON.stringify(params, (_key, value: unknown) =>
    typeof value === "object" && value !== null && "content" in value ? "<file>" : value,
  );
  return json.length > 160 ? `${json.slice(0, 157)}...` : json;
}

function outcome(call: Call): string {
  if (call.dropped) return "connection dropped";
  if (call.response === undefined) return "pending";
  return call.response.ok ? "ok" : `${call.response.error_code} ${call.response.description}`;
}
