import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { chunkText } from "../chunk";
import type { Article } from "../domain/types";
import type { Retriever, RetrieveOptions } from "./retriever";

/** Metadata of each passage returned to LangChain: enough to cite it and to quote it again. */
export interface PassageMetadata extends Pick<Article, "title" | "publishedAt" | "author" | "url" | "source"> {
  articleId: string;
  /** Character offsets of the passage in the article body. */
  start: number;
  end: number;
  /** Fused relevance (higher is better), with its lexical and dense parts. */
  score: number;
  lexical: number;
  dense: number | null;
}

/**
 * Our hybrid retriever as a LangChain `BaseRetriever`, so a chain can use it as any other:
 * `await retriever.invoke("giá lúa An Giang")` → `Document[]`, best first.
 */
export class CorpusRetriever extends BaseRetriever<PassageMetadata> {
  lc_namespace = ["newsroom_qa", "retrievers"];

  constructor(
    private readonly retriever: Retriever,
    private readonly options: RetrieveOptions = {},
    fields?: BaseRetrieverInput,
  ) {
    super(fields);
  }

  override async _getRelevantDocuments(query: string): Promise<Document<PassageMetadata>[]> {
    const { hits } = await this.retriever.retrieve(query, this.options);
    return hits.map(
      (hit) =>
        new Document<PassageMetadata>({
          id: hit.chunk.id,
          pageContent: chunkText(hit.article, hit.chunk),
          metadata: {
            articleId: hit.article.id,
            title: hit.article.title,
            publishedAt: hit.article.publishedAt,
            author: hit.article.author,
            url: hit.article.url,
            source: hit.article.source,
            start: hit.chunk.start,
            end: hit.chunk.end,
            score: hit.score,
            lexical: hit.lexical,
            dense: hit.dense,
          },
        }),
    );
  }
}
