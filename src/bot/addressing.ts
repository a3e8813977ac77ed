import type { Message, UserFromGetMe } from "grammy/types";

/**
 * When a message is meant for the bot. In a private chat, always. In a group: a command for this
 * bot (`/ask`, `/ask@thisbot`, not `/ask@otherbot`), a reply to one of the bot's own messages, or
 * a message that @mentions the bot. Everything else in a group is people talking to each other.
 *
 * Used by the ask feature to decide what to answer, and by the rate limiter so that group chatter
 * neither counts against a user nor draws a "slow down" reply.
 */
export function isAddressedToBot(message: Message | undefined, me: UserFromGetMe): boolean {
  if (!message) return false;
  if (message.chat.type === "private") return true;
  return commandTarget(message, me) !== null || isReplyToBot(message, me) || mentionsBot(message, me);
}

/** The command name when the message starts with a command for this bot; null otherwise. */
export function commandTarget(message: Message, me: UserFromGetMe): string | null {
  const text = message.text ?? "";
  const entity = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  if (!entity) return null;
  const [name = "", target] = text.slice(1, entity.length).split("@");
  if (target !== undefined && target.toLowerCase() !== me.username.toLowerCase()) return null;
  return name.toLowerCase();
}

export function isReplyToBot(message: Message, me: UserFromGetMe): boolean {
  return message.reply_to_message?.from?.id === me.id;
}

export function mentionsBot(message: Message, me: UserFromGetMe): boolean {
  return mentionRanges(message, me).length > 0;
}

/** The text with this bot's @mentions removed: what the person actually asked. */
export function withoutMentions(message: Message, me: UserFromGetMe): string {
  const text = message.text ?? "";
  let out = "";
  let at = 0;
  for (const { offset, length } of mentionRanges(message, me)) {
    out += text.slice(at, offset);
    at = offset + length;
  }
  return (out + text.slice(at)).replace(/\s+/g, " ").trim().replace(/^[,:]\s*/, "");
}

function mentionRanges(message: Message, me: UserFromGetMe): Array<{ offset: number; length: number }> {
  const text = message.text ?? "";
  const handle = `@${me.username}`.toLowerCase();
  return (message.entities ?? [])
    .filter(
      (e) =>
        (e.type === "mention" && text.slice(e.offset, e.offset + e.length).toLowerCase() === handle) ||
        (e.type === "text_mention" && e.user.id === me.id),
    )
    .sort((a, b) => a.offset - b.offset);
}
