import { runModelCheckCli } from "../cli/model";
import { runMain } from "./bootstrap";

await runMain((config, logger) => runModelCheckCli(process.argv.slice(2), config, logger));
