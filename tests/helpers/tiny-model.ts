/**
 * A tiny BERT-shaped model, written to disk, that transformers.js loads exactly like a real one.
 *
 * Why: tests run offline and must exercise the real pipeline (tokenizer JSON → onnxruntime-node →
 * pooling), not a mock. The "network" is one embedding lookup:
 *
 *   last_hidden_state = (Gather(word_embeddings, input_ids) + Gather(type_embeddings, token_type_ids))
 *                       * Unsqueeze(Cast(attention_mask, float), -1)
 *
 * so a mean-pooled sentence vector is the average of its token vectors. Token vectors are seeded
 * pseudo-random (the same every run), nearly orthogonal in `dimensions` space, so texts that share
 * tokens score a higher cosine than texts that do not, and padding contributes nothing: a text
 * embeds to the same vector alone or in a padded batch.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { onnx as Onnx } from "onnx-proto";
import type { TransformersEmbedderOptions } from "../../src/embed";
import { valueInfo } from "../../src/model/bert-graph";
import { seeded } from "./seeded";

// onnx-proto is CommonJS whose single `module.exports` object Node's ESM loader cannot split into
// named exports, and its .d.ts declares no default: require() keeps both the runtime and the types right.
const { onnx } = createRequire(import.meta.url)("onnx-proto") as typeof import("onnx-proto");

export interface TinyModelOptions {
  /**
   * Folder name, which is also what `profileFor` sees: name it `multilingual-e5-small` to get the
   * e5 profile ("query: " / "passage: " prefixes). Default `tiny-bert` (no prefixes).
   */
  name?: string;
  /** Hidden size, i.e. the embedding dimension. Default 32. */
  dimensions?: number;
}

const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

/** Whole words the tokenizer knows: the prefixes, common English news words, Vietnamese syllables. */
const WORDS = `
query passage
the a an of and in on to for is are was were be by with from at as that this it its not no
new old city country government minister president police price prices market rice coffee export
exports import flood floods storm rain weather hot cold school student students teacher exam
hospital health doctor vaccine football team match goal win lose bank money interest rate economy
growth percent year month day week people traffic road bridge train airport flight fire house land
electricity water river sea island north south central province hanoi saigon vietnam news report
tôi bạn chúng ta người việt nam hà nội thành phố hồ chí minh đà nẵng hải phòng cần thơ huế
giá lúa gạo cà phê xuất khẩu nhập thị trường ngân hàng lãi suất tăng giảm kinh tế trưởng
năm tháng ngày tuần giờ bão lũ lụt mưa thời tiết nắng nóng lạnh gió học sinh viên giáo thi tốt
nghiệp đại bệnh viện bác sĩ sức khỏe y vắc xin bóng đá đội tuyển trận đấu bàn thắng thua hòa
giao thông đường cầu tàu xe máy bay sân chính phủ quốc hội bộ thủ tướng chủ tịch công an cảnh sát
vụ tai nạn cháy nhà đất dân số điện nước mới cũ lớn nhỏ cao thấp nhiều ít và của là có không được
cho với trong ngoài trên dưới này đó các những một hai ba bốn sáu bảy tám chín mười trăm nghìn
triệu tỷ đồng đô la phần sông biển đảo miền bắc trung tỉnh huyện xã làng báo tin tức bài viết
sáng chiều tối hôm qua nay mai sẽ đã đang vừa rất hơn nhất cũng còn vẫn đều theo về ra vào lên
xuống đi đến từ tại sau trước khi nếu vì nên nhưng hay hoặc thì mà để bị làm nói cho biết
doanh nghiệp đầu tư vốn dự án xây dựng nhà máy sản xuất hàng hóa dịch vụ du lịch khách
quốc tế trong nước hợp tác phát triển chương trình kế hoạch chính sách luật quy định
nông dân thu hoạch vụ mùa cây trồng tôm cá thủy sản chăn nuôi lợn gà dịch bệnh
ô nhiễm môi trường không khí rác thải khí hậu biến đổi nhiệt độ hạn hán mặn
`;

/** Single letters (and their `##` continuations) so an unknown word splits into pieces, not [UNK]. */
const LETTERS = [..."abcdefghijklmnopqrstuvwxyz0123456789àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"];
const PUNCTUATION = [..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~–—…“”‘’"];

/** The vocabulary in id order: specials first (so [PAD] = 0), then punctuation, letters, words. */
export function tinyVocabulary(): string[] {
  const seen = new Set<string>();
  const vocab: string[] = [];
  const add = (token: string) => {
    const t = token.normalize("NFC");
    if (t && !seen.has(t)) {
      seen.add(t);
      vocab.push(t);
    }
  };
  SPECIAL_TOKENS.forEach(add);
  PUNCTUATION.forEach(add);
  LETTERS.forEach(add);
  LETTERS.forEach((l) => add(`##${l}`));
  WORDS.split(/\s+/).forEach(add);
  return vocab;
}

/**
 * Writes the model folder `<dir>/<name>` (config.json, tokenizer.json, tokenizer_config.json,
 * onnx/model.onnx and onnx/model_quantized.onnx: the same fp32 graph, so every dtype that maps to
 * one of those file names loads) and returns its absolute path.
 *
 * @example
 *   const modelDir = await writeTinyModel(tmp, { name: "multilingual-e5-small", dimensions: 32 });
 *   const embedder = await TransformersEmbedder.load({ model: modelDir, ... });
 */
export async function writeTinyModel(dir: string, options: TinyModelOptions = {}): Promise<string> {
  const name = options.name ?? "tiny-bert";
  const dimensions = options.dimensions ?? 32;
  const folder = path.resolve(dir, name);
  const vocab = tinyVocabulary();

  await mkdir(path.join(folder, "onnx"), { recursive: true });
  const graph = encodeModel(vocab.length, dimensions);
  await Promise.all([
    writeJson(path.join(folder, "config.json"), bertConfig(vocab.length, dimensions)),
    writeJson(path.join(folder, "tokenizer.json"), tokenizerJson(vocab)),
    writeJson(path.join(folder, "tokenizer_config.json"), tokenizerConfig()),
    writeFile(path.join(folder, "onnx", "model.onnx"), graph),
    writeFile(path.join(folder, "onnx", "model_quantized.onnx"), graph),
  ]);
  return folder;
}

/**
 * Load options for a tiny model in tests: offline, one thread, small batches, cache under `tmp`.
 * `overrides` changes any of them (a dtype, a batch size, remote models on with a fake fetch).
 */
export function offlineOptions(
  model: string,
  tmp: string,
  overrides: Partial<TransformersEmbedderOptions> = {},
): TransformersEmbedderOptions {
  return {
    model,
    dtype: "q8",
    cacheDir: path.join(tmp, "cache"),
    allowRemoteModels: false,
    threads: 1,
    batchSize: 4,
    ...overrides,
  };
}

function writeJson(file: string, value: unknown): Promise<void> {
  return writeFile(file, `${JSON.stringify(value, null, 2)}\n`, "utf8");
}

function bertConfig(vocabSize: number, dimensions: number) {
  return {
    architectures: ["BertModel"],
    model_type: "bert",
    hidden_size: dimensions,
    intermediate_size: dimensions,
    num_attention_heads: 1,
    num_hidden_layers: 1,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    vocab_size: vocabSize,
    pad_token_id: 0,
    hidden_act: "gelu",
    layer_norm_eps: 1e-12,
  };
}

function tokenizerJson(vocab: string[]) {
  const id = (token: string) => vocab.indexOf(token);
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    // strip_accents must be an explicit false: with lowercase on, null means "strip", which would
    // fold "bạn", "bán" and "bàn" into one token.
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: false,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ["[CLS]", "[SEP]"].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
}

function tokenizerConfig() {
  return {
    tokenizer_class: "BertTokenizer",
    do_lower_case: true,
    strip_accents: false,
    model_max_length: 512,
    cls_token: "[CLS]",
    sep_token: "[SEP]",
    pad_token: "[PAD]",
    unk_token: "[UNK]",
    mask_token: "[MASK]",
  };
}


/**
 * One Gaussian vector per token id. [PAD] is zero (it is masked anyway); [CLS] and [SEP] are short,
 * so the two tokens every text shares do not pull all texts together.
 */
/** The word embeddings the tiny model looks tokens up in (vocabulary × dimensions): its hidden states, for checks that recompute them. */
export function embeddingTable(vocabSize: number, dimensions: number): Float32Array {
  const table = new Float32Array(vocabSize * dimensions);
  const short = new Set([SPECIAL_TOKENS.indexOf("[CLS]"), SPECIAL_TOKENS.indexOf("[SEP]")]);
  for (let id = 1; id < vocabSize; id++) {
    const random = seeded(0x5eed + id * 7919);
    const scale = short.has(id) ? 0.1 : 1;
    for (let d = 0; d < dimensions; d++) {
      // Box–Muller; 1 - u keeps the logarithm finite.
      const u = 1 - random();
      const v = random();
      table[id * dimensions + d] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
  }
  return table;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function bytes(view: Float32Array | BigInt64Array): Uint8Array {
  // ONNX raw_data is little-endian, as are the typed arrays on every platform Node supports.
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}


function encodeModel(vocabSize: number, dimensions: number): Uint8Array {
  const graph: Onnx.IGraphProto = {
    name: "tiny_bert",
    input: [
      valueInfo("input_ids", INT64, ["batch", "sequence"]),
      valueInfo("attention_mask", INT64, ["batch", "sequence"]),
      valueInfo("token_type_ids", INT64, ["batch", "sequence"]),
    ],
    output: [valueInfo("last_hidden_state", FLOAT, ["batch", "sequence", dimensions])],
    initializer: [
      {
        name: "word_embeddings",
        dataType: FLOAT,
        dims: [vocabSize, dimensions],
        rawData: bytes(embeddingTable(vocabSize, dimensions)),
      },
      // Zeros: token types change nothing, but the input is consumed like in a real BERT graph.
      {
        name: "token_type_embeddings",
        dataType: FLOAT,
        dims: [2, dimensions],
        rawData: bytes(new Float32Array(2 * dimensions)),
      },
      { name: "last_axis", dataType: INT64, dims: [1], rawData: bytes(BigInt64Array.of(-1n)) },
    ],
    node: [
      { opType: "Gather", input: ["word_embeddings", "input_ids"], output: ["words"], attribute: [axis0()] },
      {
        opType: "Gather",
        input: ["token_type_embeddings", "token_type_ids"],
        output: ["types"],
        attribute: [axis0()],
      },
      { opType: "Add", input: ["words", "types"], output: ["summed"] },
      {
        opType: "Cast",
        input: ["attention_mask"],
        output: ["mask_float"],
        attribute: [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }],
      },
      // Opset 13: Unsqueeze takes its axes as an input tensor, not an attribute.
      { opType: "Unsqueeze", input: ["mask_float", "last_axis"], output: ["mask"] },
      { opType: "Mul", input: ["summed", "mask"], output: ["last_hidden_state"] },
    ],
  };
  const model: Onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "newsroom-qa-bot tests",
    graph,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

function axis0(): Onnx.IAttributeProto {
  return { name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 };
}
