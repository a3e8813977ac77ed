import { Composer } from "grammy";
import { VIEW_DATA } from "../callback-data";
import type { BotContext, FeatureDeps } from "../context";
import { showInPlace } from "../conversation";
import { pageView } from "../views";

/**
 * "More results" and "Back": page 0 is the answer (or the not-found message), pages 1… show the
 * further retrieved passages, a few per page, each with a button to open it.
 */
export function pagingFeature(deps: FeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(VIEW_DATA, async (ctx) => {
    ctx.meta.handler = "paging";
    await showInPlace(ctx, deps, ({ action, context, tag }) => (action.kind === "view" ? pageView(context, tag, action.page) : null));
  });
  return composer;
}
