import { runIngestCli } from "../cli/ingest";
import { runMain } from "./bootstrap";

await runMain((config, logger) => runIngestCli(process.argv.slice(2), config, logger));
