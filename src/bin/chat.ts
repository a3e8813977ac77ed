import { QaService } from "../app";
import { runChat } from "../cli/chat";
import { runMain } from "./bootstrap";

await runMain(async (config, logger) => {
  await runChat({ service: await QaService.open({ config, logger }) });
});
