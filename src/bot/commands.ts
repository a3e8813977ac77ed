import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import type { Language } from "../domain/types";
import { uiStrings } from "./strings";

/** The public commands, in menu order. */
const PUBLIC_COMMANDS = ["start", "help", "ask", "search", "source", "about"] as const;

export function publicCommands(language: Language): BotCommand[] {
  const descriptions = uiStrings(language).commands;
  return PUBLIC_COMMANDS.map((command) => ({ command, description: descriptions[command] }));
}

/** Admin commands in both UI languages; each admin sees them in addition to the public ones. */
export interface AdminCommands {
  vi: BotCommand[];
  en: BotCommand[];
}

/** The admin commands the admin feature handles, in menu order (uploads need no command). */
export const ADMIN_COMMANDS = ["reindex", "add", "delete", "undelete", "feeds", "stats", "reload"] as const;

/** The admin commands with their descriptions in both languages, for `registerCommands`. */
export function adminCommands(): AdminCommands {
  const describe = (language: Language) => {
    const descriptions = uiStrings(language).adminCommands;
    return ADMIN_COMMANDS.map((command) => ({ command, description: descriptions[command] }));
  };
  return { vi: describe("vi"), en: describe("en") };
}

/**
 * Registers the command menu: Vietnamese for everyone, English for clients in English. The admin
 * commands are registered per admin chat (`{ type: "chat", chat_id }`), a scope that replaces the
 * default menu for that chat: nobody else ever sees them.
 *
 * @example
 * await registerCommands(bot, { adminIds: config.telegram.adminIds, adminCommands: adminCommands() });
 */
export async function registerCommands(
  bot: { api: Pick<Api, "setMyCommands"> },
  options: { adminIds?: number[]; adminCommands?: AdminCommands } = {},
): Promise<void> {
  const { api } = bot;
  await api.setMyCommands(publicCommands("vi"));
  await api.setMyCommands(publicCommands("en"), { language_code: "en" });
  if (options.adminCommands && options.adminIds?.length) {
    await registerAdminCommands(api, options.adminIds, options.adminCommands);
  }
}

/**
 * The menu of each admin's private chat: the public commands followed by the admin ones. An admin
 * whose chat Telegram refuses (one who never opened the bot: "chat not found") does not keep the
 * others from getting their menu; the failures are thrown together at the end.
 */
export async function registerAdminCommands(api: Pick<Api, "setMyCommands">, adminIds: number[], commands: AdminCommands): Promise<void> {
  const failed: string[] = [];
  for (const chatId of adminIds) {
    const scope = { type: "chat", chat_id: chatId } as const;
    try {
      await api.setMyCommands([...publicCommands("vi"), ...commands.vi], { scope });
      await api.setMyCommands([...publicCommands("en"), ...commands.en], { scope, language_code: "en" });
    } catch (error) {
      failed.push(`${chatId} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (failed.length > 0) {
    throw new Error(`could not register the admin menu for ${failed.join(", ")}: each admin must have opened a chat with the bot`);
  }
}
