import fs from "node:fs/promises";
import path from "node:path";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { SaveableVectorStore } from "@langchain/core/vectorstores";
import { IndexError } from "../domain/errors";
import { DEFAULT_HNSW, VectorIndex, type HnswParams } from "./vector-index";

const FORMAT = "hnsw-document-store/1";

interface StoreManifest {
  format: typeof FORMAT;
  dimensions: number;
  count: number;
  hnsw: HnswParams;
}

/**
 * A LangChain `SaveableVectorStore` on our HNSW index, for LangChain users who want to plug the
 * local embedder and index into a chain (the bot itself uses `CorpusIndex`, which adds the lexical
 * side and the article records).
 *
 * What it does that the community HNSWLib store does not: the score it returns is a cosine
 * similarity (higher is better, never a distance), `save` writes a new folder and swaps it in by
 * rename so an interrupted save leaves the previous one, the manifest records dimensions and HNSW
 * parameters and is checked on `load`, and capacity grows geometrically.
 *
 * @example
 *   const store = new HnswDocumentStore(new TransformersEmbeddings(embedder));
 *   await store.addDocuments([new Document({ pageContent: "Giá lúa tăng mạnh." })]);
 *   const [[doc, score]] = await store.similaritySearchWithScore("giá lúa", 1);
 *   await store.save("my-store");
 */
export class HnswDocumentStore extends SaveableVectorStore {
  declare FilterType: (document: DocumentInterface) => boolean;
  private index: VectorIndex | null = null;
  private documents: DocumentInterface[] = [];

  constructor(
    embeddings: EmbeddingsInterface,
    private readonly params: HnswParams = DEFAULT_HNSW,
  ) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return "hnsw-document-store";
  }

  get size(): number {
    return this.documents.length;
  }

  async addDocuments(documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return this.addVectors(vectors, documents, options);
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new RangeError(`${vectors.length} vectors for ${documents.length} documents`);
    }
    const ids: string[] = [];
    vectors.forEach((vector, i) => {
      this.index ??= VectorIndex.create(vector.length, this.params);
      const label = this.documents.length;
      const id = options?.ids?.[i] ?? documents[i]!.id ?? String(label);
      this.index.add(label, Float32Array.from(vector));
      this.documents.push(new Document({ pageContent: documents[i]!.pageContent, metadata: documents[i]!.metadata, id }));
      ids.push(id);
    });
    return ids;
  }

  /** The `k` most similar documents with their cosine similarity (higher is better). */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this["FilterType"]): Promise<[DocumentInterface, number][]> {
    if (!this.index) return [];
    const hits = this.index.search(Float32Array.from(query), k, filter ? (label) => filter(this.documents[label]!) : undefined);
    return hits.map((hit) => [this.documents[hit.id]!, 1 - hit.distance]);
  }

  async save(directory: string): Promise<void> {
    const parent = path.dirname(path.resolve(directory));
    await fs.mkdir(parent, { recursive: true });
    const staging = await fs.mkdtemp(path.join(parent, `.${path.basename(directory)}-`));
    try {
      const manifest: StoreManifest = {
        format: FORMAT,
        dimensions: this.index?.dimensions ?? 0,
        count: this.documents.length,
        hnsw: this.params,
      };
      await fs.writeFile(path.join(staging, "documents.json"), JSON.stringify(this.documents.map(({ pageContent, metadata, id }) => ({ pageContent, metadata, id }))));
      if (this.index) await this.index.write(path.join(staging, "hnsw.bin"));
      await fs.writeFile(path.join(staging, "manifest.json"), JSON.stringify(manifest, null, 2));
      // Swap: the old folder is moved aside before the new one takes its name, then removed.
      const old = `${staging}.old`;
      const hadOld = await fs.rename(directory, old).then(() => true, () => false);
      await fs.rename(staging, directory);
      if (hadOld) await fs.rm(old, { recursive: true, force: true });
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  static override async load(directory: string, embeddings: EmbeddingsInterface): Promise<HnswDocumentStore> {
    let manifest: StoreManifest;
    try {
      manifest = JSON.parse(await fs.readFile(path.join(directory, "manifest.json"), "utf8")) as StoreManifest;
    } catch (error) {
      throw new IndexError(`${directory} is not a saved HnswDocumentStore (${(error as Error).message})`, "save one with `store.save(dir)`");
    }
    if (manifest.format !== FORMAT) {
      throw new IndexError(`${directory} is in format ${manifest.format}, expected ${FORMAT}`, "save it again with this version");
    }
    const store = new HnswDocumentStore(embeddings, manifest.hnsw);
    const raw = JSON.parse(await fs.readFile(path.join(directory, "documents.json"), "utf8")) as Array<{ pageContent: string; metadata: Record<string, unknown>; id?: string }>;
    store.documents = raw.map((d) => new Document(d));
    if (manifest.count > 0) store.index = await VectorIndex.read(path.join(directory, "hnsw.bin"), manifest.dimensions, manifest.hnsw);
    return store;
  }
}
