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

/**
 * Registers the command menu: Vietnamese for everyone, English for clients in English. When the
 * admin features (a later issue) exist, pass their commands here: they are registered per admin
 * chat (`{ type: "chat", chat_id }`), a scope that replaces the default menu for that chat.
 *
 * @example
 * await registerCommands(bot);                                             // at start
 * await registerCommands(bot, { adminIds: config.telegram.adminIds, adminCommands }); // later
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

/** The menu of each admin's private chat: the public commands followed by the admin ones. */
export async function registerAdminCommands(api: Pick<Api, "setMyCommands">, adminIds: number[], commands: AdminCommands): Promise<void> {
  for (const chatId of adminIds) {
    const scope = { type: "chat", chat_id: chatId } as const;
    await api.setMyCommands([...publicCommands("vi"), ...commands.vi], { scope });
    await api.setMyCommands([...publicCommands("en"), ...commands.en], { scope, language_code: "en" });
  }
}
