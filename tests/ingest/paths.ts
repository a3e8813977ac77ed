import { fileURLToPath } from "node:url";

/** The ingest fixtures folder, and the repository root (real data lives next to it, in ../shared). */
export const FIXTURES = fileURLToPath(new URL("../fixtures/corpus", import.meta.url));
export const REPO = fileURLToPath(new URL("../..", import.meta.url));
