import { Composer } from "grammy";
import type { Message } from "grammy/types";
import type { Answer, ScoredChunk } from "../../domain/types";
import { isReplyToBot, mentionsBot, withoutMentions } from "../addressing";
import { versionTag } from "../callback-data";
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
  const { answer, retrieval } = await withTyping(ctx, () => deps.service.askWithEvidence(question));
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

/** Retrieved passages that none of the answer's quotes comes from: what "More results" shows. */
function furtherPassages(answer: Answer, hits: ScoredChunk[]): ScoredChunk[] {
  return hits.filter(
    (hit) => !answer.parts.some((p) => p.articleId === hit.article.id && p.quote.start < hit.chunk.end && p.quote.end > hit.chunk.start),
  );
}
