/**
 * What the fake Telegram remembers between requests: chats, messages, files, open queries,
 * commands, menu buttons, and the update queue.
 *
 * Both sides write to it: the Bot API methods (what the bot does) and the test builders (what
 * users do), so a message the bot sends can later be pressed, edited or downloaded.
 */
import type { BotCommand, Chat, Message, MenuButton, UserFromGetMe } from "grammy/types";
import { UpdateQueue } from "./fake-bot-api-updates";

/** A file Telegram stores: what getFile describes and `/file/bot<token>/<file_path>` serves. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  fileName: string;
  mimeType: string;
  content: Buffer;
}

/** A callback or inline query waiting for its answer. */
export interface OpenQuery {
  kind: "callback_query" | "inline_query";
  /** ms since the epoch, by the world's clock. */
  createdAt: number;
  answered: boolean;
}

export class FakeTelegramWorld {
  readonly updates = new UpdateQueue();
  private readonly chats = new Map<number, Chat>();
  private readonly messages = new Map<number, Map<number, Message>>();
  private readonly lastMessageId = new Map<number, number>();
  private readonly files = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  readonly queries = new Map<string, OpenQuery>();
  readonly commands = new Map<string, BotCommand[]>();
  readonly menuButtons = new Map<string, MenuButton>();
  webhookUrl = "";
  private nextQueryId = 1;
  private nextFileId = 1;

  constructor(
    readonly botInfo: UserFromGetMe,
    /** ms since the epoch; injectable so tests can age queries without waiting. */
    readonly now: () => number,
  ) {}

  /** Telegram dates are whole seconds. */
  date(): number {
    return Math.floor(this.now() / 1000);
  }

  rememberChat(chat: Chat): void {
    this.chats.set(chat.id, chat);
  }

  chatById(id: number | string): Chat | undefined {
    if (typeof id === "number") return this.chats.get(id);
    for (const chat of this.chats.values()) {
      if (chat.username !== undefined && `@${chat.username}` === id) return chat;
    }
    return undefined;
  }

  /** Message ids are per chat and shared by both directions, as in private chats and groups. */
  nextMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  storeMessage(message: Message): void {
    this.rememberChat(message.chat);
    let inChat = this.messages.get(message.chat.id);
    if (inChat === undefined) this.messages.set(message.chat.id, (inChat = new Map()));
    inChat.set(message.message_id, message);
    if (message.message_id > (this.lastMessageId.get(message.chat.id) ?? 0)) {
      this.lastMessageId.set(message.chat.id, message.message_id);
    }
  }

  message(chatId: number, messageId: number): Message | undefined {
    return this.messages.get(chatId)?.get(messageId);
  }

  deleteMessage(chatId: number, messageId: number): boolean {
    return this.messages.get(chatId)?.delete(messageId) ?? false;
  }

  /** Messages of a chat in order, as they are now (after edits, without deleted ones). */
  messagesIn(chatId: number): Message[] {
    return [...(this.messages.get(chatId)?.values() ?? [])].sort((a, b) => a.message_id - b.message_id);
  }

  openQuery(kind: OpenQuery["kind"]): string {
    const id = String(this.nextQueryId++);
    this.queries.set(id, { kind, createdAt: this.now(), answered: false });
    return id;
  }

  storeFile(fileName: string, mimeType: string, content: Buffer): StoredFile {
    const n = this.nextFileId++;
    const extension = /\.[A-Za-z0-9]{1,10}$/.exec(fileName)?.[0] ?? "";
    const file: StoredFile = {
      file_id: `BQACAgIAAxkBAAI${n.toString().padStart(6, "0")}`,
      file_unique_id: `AgAD${n.toString().padStart(6, "0")}`,
      file_path: `documents/file_${n}${extension}`,
      fileName,
      mimeType,
      content,
    };
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  file(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  fileByPath(filePath: string): StoredFile | undefined {
    return this.filesByPath.get(filePath);
  }
}
