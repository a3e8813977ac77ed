/**
 * The LangChain face of the embedder, so a LangChain user can hand our local model to any
 * vector store or chain that takes an `Embeddings`.
 */
import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import type { TransformersEmbedder } from "./transformers-embedder";

/**
 * `Embeddings` over a loaded {@link TransformersEmbedder}: documents get the passage prefix, queries
 * the query prefix, exactly as in our own index, so vectors from either side are interchangeable.
 *
 * Calls go straight to the embedder rather than through `this.caller`: LangChain's AsyncCaller
 * retries failures, which helps with flaky HTTP APIs but only repeats a deterministic local error.
 *
 * @example
 *   const embeddings = new TransformersEmbeddings(embedder);
 *   const store = await MemoryVectorStore.fromTexts(texts, metadatas, embeddings);
 */
export class TransformersEmbeddings extends Embeddings {
  constructor(
    readonly embedder: TransformersEmbedder,
    params: EmbeddingsParams = {},
  ) {
    super(params);
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    const vectors = await this.embedder.embedPassages(documents);
    return vectors.map((vector) => Array.from(vector));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return Array.from(await this.embedder.embedQuery(document));
  }
}
