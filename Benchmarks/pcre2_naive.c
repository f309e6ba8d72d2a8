/* pcre2_naive: count the lines of FILE that match at least one pattern of PATTERNS by
 * running every pattern on every line with PCRE2 JIT, the way `scamscan match --engine
 * naive` does. Single-threaded. A C baseline for the naive engine, and the PCRE2 side of
 * agree.py (which needs to know which pattern matched).
 *
 *   pcre2_naive [-n | -w] PATTERNS FILE
 *
 * Compile options: PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF (as scamscan), inline
 * flags per pattern. Blank lines and lines starting with '#' in PATTERNS are skipped.
 * stdout: the number of matching lines; with -n the 1-based numbers of the matching lines;
 * with -w "LINE<TAB>ID,ID,..." (every matching pattern, 1-based among the patterns kept).
 * stderr: compile time, scan time, MB/s (MB = 10^6 bytes), match-limit errors if any. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <fcntl.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int mode = 0; /* 0 count, 1 -n, 2 -w */
    const char *pos[2];
    int np = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n")) mode = 1;
        else if (!strcmp(argv[i], "-w")) mode = 2;
        else if (np < 2) pos[np++] = argv[i];
        else np = 3;
    }
    if (np != 2) {
        fprintf(stderr, "usage: pcre2_naive [-n | -w] PATTERNS FILE\n");
        return 2;
    }
    FILE *pf = fopen(pos[0], "rb");
    if (!pf) {
        perror(pos[0]);
        return 2;
    }
    size_t cap = 64, n = 0;
    pcre2_code **codes = malloc(cap * sizeof *codes);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    double t0 = now_s();
    int lineno = 0;
    while ((len = getline(&line, &lcap, pf)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        int blank = 1;
        for (ssize_t k = 0; k < len; k++)
            if (line[k] != ' ' && line[k] != '\t') { blank = 0; break; }
        if (blank || line[0] == '#') continue;
        int err;
        PCRE2_SIZE off;
        pcre2_code *c = pcre2_compile((PCRE2_SPTR)line, (PCRE2_SIZE)len,
                                      PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
        if (!c) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            fprintf(stderr, "pcre2_naive: %s:%d: %s at offset %zu\n  %s\n", pos[0], lineno, msg, (size_t)off, line);
            return 2;
        }
        pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
        if (n == cap) codes = realloc(codes, (cap *= 2) * sizeof *codes);
        codes[n++] = c;
    }
    fclose(pf);
    double t1 = now_s();

    int fd = open(pos[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(pos[1]);
        return 2;
    }
    size_t size = (size_t)st.st_size;
    const char *buf = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : "";
    if (buf == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    double t2 = now_s();
    const char *p = buf, *end = buf + size;
    size_t count = 0, ln = 0, limit_errors = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        ln++;
        int hit = 0;
        for (size_t i = 0; i < n; i++) {
            int rc = pcre2_match(codes[i], (PCRE2_SPTR)p, (PCRE2_SIZE)(le - p), 0, 0, md, NULL);
            if (rc >= 0) {
                if (mode == 2) {
                    printf(hit ? ",%zu" : "%zu\t%zu", hit ? i + 1 : ln, i + 1);
                    if (!hit) hit = 1;
                    continue;
                }
                hit = 1;
                break;
            } else if (rc != PCRE2_ERROR_NOMATCH) {
                limit_errors++;
                fprintf(stderr, "pcre2_naive: pattern %zu, line %zu: error %d\n", i + 1, ln, rc);
            }
        }
        if (hit) {
            count++;
            if (mode == 1) printf("%zu\n", ln);
            if (mode == 2) putchar('\n');
        }
        p = le + 1;
    }
    double t3 = now_s();
    if (mode == 0) printf("%zu\n", count);
    fprintf(stderr, "pcre2_naive: patterns=%zu compile_s=%.3f scan_s=%.3f MB/s=%.2f lines=%zu matched=%zu errors=%zu\n", n,
            t1 - t0, t3 - t2, size / 1e6 / (t3 - t2), ln, count, limit_errors);
    return 0;
}
