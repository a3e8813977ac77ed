export { answerCandidates, answerTypeOf, expectationOf, type AnswerType, type Expectation } from "./answer-type";
export { DEFAULT_READER, read, type ReaderCorpus, type ReaderInput, type ReaderSettings, type Reading, type Window } from "./reader";
