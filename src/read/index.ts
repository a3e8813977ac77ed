export { answerCandidates, answerTypeOf, expectationOf, type AnswerType, type Expectation } from "./answer-type";
export { DEFAULT_READER, read, type ReaderCorpus, type ReaderInput, type ReaderSettings, type Reading, type Window } from "./reader";
export { DEFAULT_CROSS_LINGUAL, sentenceCosines, type CrossLingualInput, type CrossLingualSettings, type SentenceCosines } from "./cross-lingual";
