/**
 * The bot's update queue and `getUpdates` with Telegram's long-polling semantics.
 *
 * - `offset` confirms every update below it (they are forgotten); a negative offset keeps only the
 *   last `-offset` updates.
 * - `timeout` (seconds) holds the request until an update arrives or the time is up; updates pushed
 *   in the same tick are answered together.
 * - `limit` (1..100, default 100) caps the batch.
 * - `allowed_updates` is remembered from the last call that sends it; `[]` restores the default,
 *   which leaves out chat_member, message_reaction and message_reaction_count. Updates of other
 *   kinds are dropped when a poll would return them, as Telegram would never have queued them.
 * - A second getUpdates while one is pending ends the first with 409 Conflict, as Telegram does
 *   when two instances of a bot poll at once.
 */
import type { Update } from "grammy/types";
import { BotApiError } from "./fake-bot-api-rules";

export type UpdateKind = Exclude<keyof Update, "update_id">;

const OPT_IN_KINDS: ReadonlySet<string> = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export interface GetUpdatesRequest {
  offset?: number;
  limit?: number;
  /** Seconds. */
  timeout?: number;
  allowed_updates?: readonly string[];
}

interface PendingPoll {
  /** Ends the wait; `error` answers the poll with that error instead of updates. */
  wake(error?: BotApiError): void;
}

/** Updates not yet confirmed by the bot, and at most one long poll waiting for more. */
export class UpdateQueue {
  private readonly queue: Update[] = [];
  private nextUpdateId: number;
  private allowed: ReadonlySet<string> | undefined;
  private pending: PendingPoll | undefined;
  private closed = false;

  constructor(firstUpdateId = 1) {
    this.nextUpdateId = firstUpdateId;
  }

  /** Queues an update, assigning the next update_id, and answers a waiting poll. */
  push(update: Omit<Update, "update_id">): Update {
    const full = { ...update, update_id: this.nextUpdateId++ } as Update;
    this.queue.push(full);
    this.pending?.wake();
    return full;
  }

  /** Updates queued and not yet confirmed by an offset. */
  unconfirmed(): readonly Update[] {
    return this.queue;
  }

  /** deleteWebhook / setWebhook with drop_pending_updates. */
  dropPending(): void {
    this.queue.length = 0;
  }

  /** Whether a getUpdates request is being held open right now. */
  isPolling(): boolean {
    return this.pending !== undefined;
  }

  async getUpdates(request: GetUpdatesRequest, signal: AbortSignal): Promise<Update[]> {
    this.confirm(request.offset ?? 0);
    if (request.allowed_updates !== undefined) {
      this.allowed = request.allowed_updates.length === 0 ? undefined : new Set(request.allowed_updates);
    }
    const limit = Math.max(1, Math.min(request.limit ?? 100, 100));
    const timeoutSeconds = Math.max(0, request.timeout ?? 0);

    this.pending?.wake(
      new BotApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"),
    );
    if (this.deliverable().length === 0 && timeoutSeconds > 0 && !this.closed && !signal.aborted) {
      await this.wait(timeoutSeconds, signal);
    }
    return this.deliverable().slice(0, limit);
  }

  /** Answers a waiting poll with no updates, so the bot's runner can stop; later polls return at once. */
  close(): void {
    this.closed = true;
    this.pending?.wake();
  }

  private confirm(offset: number): void {
    if (offset > 0) {
      const firstKept = this.queue.findIndex((update) => update.update_id >= offset);
      this.queue.splice(0, firstKept < 0 ? this.queue.length : firstKept);
    } else if (offset < 0) {
      this.queue.splice(0, Math.max(0, this.queue.length + offset));
    }
  }

  /** The queue without the kinds the bot did not ask for (those are dropped for good). */
  private deliverable(): Update[] {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (!this.isAllowed(this.queue[i]!)) this.queue.splice(i, 1);
    }
    return this.queue;
  }

  private isAllowed(update: Update): boolean {
    const kind = Object.keys(update).find((key) => key !== "update_id") ?? "";
    return this.allowed === undefined ? !OPT_IN_KINDS.has(kind) : this.allowed.has(kind);
  }

  private wait(timeoutSeconds: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const poll: PendingPoll = {
        wake: (error) => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          if (this.pending === poll) this.pending = undefined;
          // Let updates pushed in the same tick join this batch.
          setImmediate(() => (error === undefined ? resolve() : reject(error)));
        },
      };
      const onAbort = (): void => poll.wake();
      const timer = setTimeout(() => poll.wake(), timeoutSeconds * 1000);
      signal.addEventListener("abort", onAbort);
      this.pending = poll;
    });
  }
}
