import { randomBytes } from "node:crypto";
import type { Answer, Language, ScoredChunk } from "../domain/types";
import { RecentCache } from "../recent-cache";

/** What the buttons under one answer need: the answer, the passages for "More results". */
export interface AnswerContext {
  /** Short random key, carried in callback data (not guessable, so not openable from another chat). */
  id: string;
  /** The index version the answer came from (`CorpusIndex.version`). */
  version: string;
  /** The chat the answer was sent to; a button pressed elsewhere is refused. */
  chatId: number | null;
  /** The asker's UI language: an edited message keeps the language it was written in. */
  language: Language;
  answer: Answer;
  /** Retrieved passages not already quoted in the answer, best first: the "More results" pages. */
  extra: ScoredChunk[];
  /** When the answer was sent (ms since the epoch): a follow-up question must come soon after. */
  sentAt: number;
}

/** Contexts kept by default: a few hours of a busy newsroom bot, a few MB at most. */
export const DEFAULT_CONTEXT_CAPACITY = 1000;

/**
 * A small LRU of answer contexts, keyed by a short id. A context that was evicted (or lost in a
 * restart) makes its buttons expire politely instead of failing: the reader asks again.
 * It also remembers each chat's latest answer, for `/source <n>`.
 */
export class AnswerContexts {
  private readonly entries: RecentCache<string, AnswerContext>;
  private readonly latest = new Map<number, string>();

  constructor(
    readonly capacity = DEFAULT_CONTEXT_CAPACITY,
    private readonly clock: () => number = Date.now,
  ) {
    this.entries = new RecentCache(capacity);
  }

  add(fields: Omit<AnswerContext, "id" | "sentAt">): AnswerContext {
    let id = newId();
    while (this.entries.has(id)) id = newId();
    const context = { id, ...fields, sentAt: this.clock() };
    this.entries.set(id, context);
    if (fields.chatId !== null) {
      this.latest.delete(fields.chatId);
      this.latest.set(fields.chatId, id);
    }
    while (this.latest.size > this.capacity) this.latest.delete(this.latest.keys().next().value!);
    return context;
  }

  /** The context, marked as recently used; undefined when unknown or evicted. */
  get(id: string): AnswerContext | undefined {
    return this.entries.get(id);
  }

  /** The latest answer sent to a chat, if it is still kept. */
  latestFor(chatId: number): AnswerContext | undefined {
    const id = this.latest.get(chatId);
    return id === undefined ? undefined : this.get(id);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** 8 characters of base64url: 48 random bits. */
function newId(): string {
  return randomBytes(6).toString("base64url");
}
