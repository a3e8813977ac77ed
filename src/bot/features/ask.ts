import { Composer } from "grammy";
import type { Message } from "grammy/types";
import { citedArticles } from "../../answer";
import type { Answer, ScoredChunk } from "../../domain/types";
import { isReplyToBot, mentionsBot, withoutMentions } from "../addressing";
import type { AnswerContext } from "../answer-contexts";
import { decodeCallback, versionTag } from "../callback-data";
import type { BotContext, FeatureDeps } from "../context";
import { replyHtml, withTyping } from "../conversation";
import { answerMessages } from "../views";

/**
 * Questions. In a private chat every text message is a question; `/ask <question>` works
 * anywhere; in a group the bot also answers replies to its own messages and messages that
 * @mention it, and stays quiet otherwise (BotFather's privacy mode delivers only those anyway).
 */
export function askFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("ask", async (ctx) => {
    const question = ctx.match.trim();
    if (!question) {
      ctx.meta.handler = "ask";
      await replyHtml(ctx, ctx.t.askUsage);
      return;
    }
    await answerQuestion(ctx, deps, question);
  });

  const texts = composer.on("message:text").filter((ctx) => !startsWithCommand(ctx.message));

  texts.filter(
    (ctx) => ctx.chat.type === "private",
    (ctx) => answerQuestion(ctx, deps, ctx.message.text.trim()),
  );

  texts.filter(
    (ctx) => ctx.chat.type !== "private" && (isReplyToBot(ctx.message, ctx.me) || mentionsBot(ctx.message, ctx.me)),
    async (ctx) => {
      const question = withoutMentions(ctx.message, ctx.me);
      if (!question) {
        ctx.meta.handler = "ask";
        await replyHtml(ctx, ctx.t.mentionEmpty);
        return;
      }
      await answerQuestion(ctx, deps, question);
    },
  );

  return composer;
}

function startsWithCommand(message: Message): boolean {
  return message.entities?.some((e) => e.type === "bot_command" && e.offset === 0) ?? false;
}

/**
 * Answers one question: typing indicator, retrieval and answer through the service, then the
 * answer as one or more HTML messages with the source and "More results" buttons on the last.
 */
export async function answerQuestion(ctx: BotContext, deps: FeatureDeps, question: string): Promise<void> {
  ctx.meta.handler = "ask";
  ctx.logger.debug({ question }, "question");
  // Read before asking: if a re-index lands meanwhile, the buttons carry the version the answer
  // came from and expire, rather than opening articles of another version.
  const version = deps.service.index.version;
  const previous = previousAnswer(ctx, deps);
  const followUp = previous ? citedArticles(previous.answer) : [];
  const { answer, retrieval } = await withTyping(ctx, () => deps.service.askWithEvidence(question, { followUp }));
  const context = deps.contexts.add({
    version,
    chatId: ctx.chat?.id ?? null,
    language: ctx.language,
    answer,
    extra: answer.notFound ? [] : furtherPassages(answer, retrieval.hits),
  });
  ctx.meta.sources = answer.citations.length;
  const { messages, keyboard } = answerMessages(context, versionTag(version));
  for (const [i, text] of messages.entries()) {
    await replyHtml(ctx, text, i === messages.length - 1 ? keyboard : undefined);
  }
}

/** A question this soon after an answer may follow it up (a reply to the answer itself, at any time). */
export const FOLLOW_UP_WINDOW_MS = 30 * 60_000;

/**
 * The answer this question may follow up, whose articles retrieval then prefers when they cover
 * it: the answer it replies to (named by that message's buttons), or else the chat's latest answer
 * of the last half hour, in a private chat or for a reply to the bot (a long answer's buttons are
 * on its last message only). In a group a question that replies to nothing follows nothing up: the
 * latest answer there may have been someone else's.
 */
function previousAnswer(ctx: BotContext, deps: FeatureDeps): AnswerContext | undefined {
  const chat = ctx.chat;
  if (!chat) return undefined;
  const replied = ctx.message?.reply_to_message;
  const toBot = replied?.from?.id === ctx.me.id;
  const named = toBot ? contextOfButtons(replied!, deps) : undefined;
  if (named?.chatId === chat.id) return named;
  if (chat.type !== "private" && !toBot) return undefined;
  const latest = deps.contexts.latestFor(chat.id);
  return latest && deps.clock() - latest.sentAt <= FOLLOW_UP_WINDOW_MS ? latest : undefined;
}

/** The answer context a message's buttons belong to, if it is still kept. */
function contextOfButtons(message: Message, deps: FeatureDeps): AnswerContext | undefined {
  for (const button of message.reply_markup?.inline_keyboard.flat() ?? []) {
    const action = "callback_data" in button && button.callback_data ? decodeCallback(button.callback_data) : null;
    if (action) return deps.contexts.get(action.context);
  }
  return undefined;
}

/** Retrieved passages that none of the answer's quotes comes from: what "More results" shows. */
function furtherPassages(answer: Answer, hits: ScoredChunk[]): ScoredChunk[] {
  return hits.filter(
    (hit) => !answer.parts.some((p) => p.articleId === hit.article.id && p.quote.start < hit.chunk.end && p.quote.end > hit.chunk.start),
  );
}
