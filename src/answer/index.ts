export { cite, citedArticles, composeAnswer, DEFAULT_ANSWER_OPTIONS, type AnswerOptions } from "./answerer";
export { strings, type AnswerStrings } from "./strings";
