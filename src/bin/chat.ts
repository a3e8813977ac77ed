import { QaService } from "../app";
import { runChat } from "../cli/chat";
import { runMain } from "./bootstrap";

await runMain(async (config, logger) => {
    // The chat's banner says whether dense retrieval is on, and why not: once, not also as a log line.
  await runChat({ service: await QaService.open({ config, logger, warnDenseOff: false }) });
});
