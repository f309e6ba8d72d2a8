// re2set: count the lines of FILE that match at least one pattern of PATTERNS, with one
// RE2::Set (UNANCHORED) and one Set::Match per line. Single-threaded.
//
//   re2set [-n | -w] [--max-mem MB] PATTERNS FILE
//   re2set --check PATTERNS
//
// stdout: the number of matching lines (with -n: the 1-based numbers of the matching lines;
// with -w: "LINE<TAB>ID,ID,..." with every matching pattern, for agree.py).
// stderr: patterns, compile time, scan time, MB/s (MB = 10^6 bytes).
// --check: compile every pattern on its own, report each that RE2 rejects, exit 1 if any.
//
// Options: UTF-8 (RE2's default), case sensitive unless the pattern says (?i) (inline
// flags are per pattern in a Set, as in PCRE2), longest_match off (leftmost-first, Perl
// semantics), never_nl off (lines are matched without their '\n'). RE2's \b \w \d \s are
// ASCII-only: see README.md for how the pattern sets and the data avoid the difference.
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

#include "common.h"

static RE2::Options options(int64_t max_mem) {
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingUTF8);
    o.set_log_errors(false);
    o.set_max_mem(max_mem);
    o.set_case_sensitive(true);
    o.set_longest_match(false);
    return o;
}

int main(int argc, char** argv) {
    bool lines = false, check = false, which = false;
    int64_t max_mem = (int64_t)2048 << 20;
    std::vector<const char*> pos;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n")) lines = true;
        else if (!strcmp(argv[i], "-w")) which = true;
        else if (!strcmp(argv[i], "--check")) check = true;
        else if (!strcmp(argv[i], "--max-mem") && i + 1 < argc) max_mem = (int64_t)atoll(argv[++i]) << 20;
        else pos.push_back(argv[i]);
    }
    if (pos.size() != (check ? 1u : 2u)) {
        fprintf(stderr, "usage: re2set [-n] [--max-mem MB] PATTERNS FILE | re2set --check PATTERNS\n");
        return 2;
    }
    std::vector<std::string> pats = bench::read_patterns(pos[0]);
    RE2::Options opt = options(max_mem);

    if (check) {
        int bad = 0;
        for (size_t i = 0; i < pats.size(); i++) {
            RE2 re(pats[i], opt);
            if (!re.ok()) {
                printf("RE2 rejects pattern %zu: %s\n  %s\n", i + 1, re.error().c_str(), pats[i].c_str());
                bad++;
            }
        }
        fprintf(stderr, "re2set --check: %zu patterns, %d rejected\n", pats.size(), bad);
        return bad ? 1 : 0;
    }

    double t0 = bench::now_s();
    RE2::Set set(opt, RE2::UNANCHORED);
    for (size_t i = 0; i < pats.size(); i++) {
        std::string err;
        if (set.Add(pats[i], &err) < 0) {
            fprintf(stderr, "re2set: pattern %zu: %s\n  %s\n", i + 1, err.c_str(), pats[i].c_str());
            return 2;
        }
    }
    if (!set.Compile()) {
        fprintf(stderr, "re2set: RE2::Set::Compile failed (out of memory: raise --max-mem)\n");
        return 2;
    }
    double t1 = bench::now_s();

    bench::Mapped m = bench::map_file(pos[1]);
    double t2 = bench::now_s();
    const char* p = m.data;
    const char* end = m.data + m.size;
    size_t count = 0, lineno = 0;
    RE2::Set::ErrorInfo info;
    std::vector<int> ids;
    while (p < end) {
        const char* nl = (const char*)memchr(p, '\n', (size_t)(end - p));
        const char* le = nl ? nl : end;
        lineno++;
        if (which) {
            ids.clear();
            if (set.Match(re2::StringPiece(p, (size_t)(le - p)), &ids, &info)) {
                std::sort(ids.begin(), ids.end());
                count++;
                printf("%zu\t", lineno);
                for (size_t k = 0; k < ids.size(); k++) printf(k ? ",%d" : "%d", ids[k] + 1);
                putchar('\n');
            }
        } else if (set.Match(re2::StringPiece(p, (size_t)(le - p)), nullptr, &info)) {
            count++;
            if (lines) printf("%zu\n", lineno);
        } else if (info.kind != RE2::Set::kNoError) {
            fprintf(stderr, "re2set: Set::Match failed on line %zu (error kind %d: %s)\n", lineno, (int)info.kind,
                    info.kind == RE2::Set::kOutOfMemory ? "DFA out of memory, raise --max-mem" : "see re2/set.h");
            return 2;
        }
        p = le + 1;
    }
    double t3 = bench::now_s();
    if (!lines && !which) printf("%zu\n", count);
    fprintf(stderr, "re2set: patterns=%zu compile_s=%.3f scan_s=%.3f MB/s=%.1f lines=%zu matched=%zu\n", pats.size(),
            t1 - t0, t3 - t2, m.size / 1e6 / (t3 - t2), lineno, count);
    return 0;
}
