import { Composer } from "grammy";
import { HEADLINE_DATA } from "../callback-data";
import type { BotContext, FeatureDeps } from "../context";
import { showInPlace } from "../conversation";
import { headlineView } from "../views";

/**
 * The buttons under a "no answer in the corpus" reply: each of the (up to three) nearest
 * headlines opens that article in place, with "Back" to the not-found message.
 */
export function notFoundFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(HEADLINE_DATA, async (ctx) => {
    ctx.meta.handler = "not-found";
    await showInPlace(ctx, deps, ({ action, context, tag }) =>
      action.kind === "headline" ? headlineView(context, tag, action.index, (id) => deps.service.index.article(id)) : null,
    );
  });
  return composer;
}
