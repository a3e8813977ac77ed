/**
 * Users and chats for tests, shaped exactly like the Bot API sends them.
 *
 * A private chat's id is its user's id in Telegram, and the chat object carries no language: the
 * language lives on the user (`from.language_code`). `privateChat(id, { language_code })` remembers
 * the language for that chat object so the fake can fill in the default sender; nothing about it is
 * serialised.
 */
import type { Chat, User } from "grammy/types";

export interface UserOptions {
  first_name?: string;
  last_name?: string;
  username?: string;
  /** IETF language tag of the user's Telegram client, e.g. "vi" or "en". */
  language_code?: string;
  is_bot?: boolean;
}

export interface GroupChatOptions {
  title?: string;
  /** Default "group". Supergroup ids look like -100…. */
  type?: "group" | "supergroup";
}

const userOfPrivateChat = new WeakMap<Chat.PrivateChat, User>();

/** A human Telegram user. */
export function user(id: number, options: UserOptions = {}): User {
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`user(${id}): Telegram user ids are positive integers`);
  const { is_bot = false, first_name = `User ${id}`, ...rest } = options;
  return { id, is_bot, first_name, ...rest };
}

/** A private chat with the user `id`; its `language_code` goes to the default sender. */
export function privateChat(id: number, options: UserOptions = {}): Chat.PrivateChat {
  const person = user(id, options);
  const chat: Chat.PrivateChat = { id, type: "private", first_name: person.first_name };
  if (person.last_name !== undefined) chat.last_name = person.last_name;
  if (person.username !== undefined) chat.username = person.username;
  userOfPrivateChat.set(chat, person);
  return chat;
}

/** A group (or supergroup) chat; Telegram group ids are negative. */
export function groupChat(id: number, options: GroupChatOptions = {}): Chat.GroupChat | Chat.SupergroupChat {
  if (!Number.isSafeInteger(id) || id >= 0) {
    throw new Error(`groupChat(${id}): Telegram group ids are negative, e.g. -1001234567890 for a supergroup`);
  }
  const { title = `Group ${-id}`, type = "group" } = options;
  return type === "group" ? { id, type: "group", title } : { id, type: "supergroup", title };
}

/**
 * The user who is the other side of a private chat: the one given to `privateChat`, or one rebuilt
 * from the chat's names when the chat object came from elsewhere (e.g. a bot message).
 */
export function userOfChat(chat: Chat.PrivateChat): User {
  const known = userOfPrivateChat.get(chat);
  if (known !== undefined) return known;
  const options: UserOptions = { first_name: chat.first_name };
  if (chat.last_name !== undefined) options.last_name = chat.last_name;
  if (chat.username !== undefined) options.username = chat.username;
  return user(chat.id, options);
}
