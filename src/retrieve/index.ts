export { analyseQuery, detectLanguage, isQuestionWord, restoreAccents, topicalOf, type AnalysedQuery, type Topical } from "./query";
export {
  DEFAULT_COORDINATION,
  DEFAULT_FOLLOW_UP_BOOST,
  DEFAULT_FUSION,
  DEFAULT_MAX_MISSING_SHARE,
  DEFAULT_MIN_COVERAGE,
  DEFAULT_MIN_DENSE,
  DEFAULT_SENTENCE_WEIGHT,
  rankFusion,
  Retriever,
  type FusionWeights,
  type Retrieval,
  type RetrieveOptions,
  type RetrieverSettings,
} from "./retriever";
export { CorpusRetriever, type PassageMetadata } from "./langchain";
