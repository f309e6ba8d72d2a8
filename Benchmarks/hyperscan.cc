// hyperscan: count the lines of FILE that match at least one pattern of PATTERNS with one
// Hyperscan block-mode database. Single-threaded.
//
//   hyperscan [-n | -w] [--per-line] [--no-rewrite] [--ascii] PATTERNS FILE
//   hyperscan --show-rewrite PATTERNS
//   hyperscan --check PATTERNS
//
// stdout: the number of matching lines (with -n: the 1-based numbers of the matching lines;
// with -w, whole-buffer mode only: "LINE<TAB>ID,ID,..." with every matching pattern).
// stderr: patterns, database compile time and size, scan time, MB/s (MB = 10^6 bytes).
//
// Flags of every pattern: HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_MULTILINE (^ and $ at line
// ends, as in a per-line PCRE2 match), + HS_FLAG_CASELESS when the pattern starts with (?i)
// (the prefix is removed; other inline flags are left to Hyperscan's parser; caseless
// matching folds non-ASCII letters too, with or without UCP).
// Hyperscan 5.4 rejects \b and \B in UCP mode ("\b unsupported in UCP mode"): a pattern
// that uses them is compiled without HS_FLAG_UCP, i.e. with ASCII \b \w \d \s, like RE2.
// --ascii drops HS_FLAG_UCP from every pattern.
//
// Default mode: the whole mapped file is scanned once (hs_scan over all of it). Each match
// end offset is attributed to the line that holds its last byte, and distinct lines are
// counted. HS_FLAG_SINGLEMATCH is NOT used in this mode: it would report each pattern once
// per *scan*, i.e. once for the whole file, not once per line.
//
// --per-line: one hs_scan per line, with HS_FLAG_SINGLEMATCH and the callback stopping the
// scan at the first match (the way RE2::Set and PCRE2 are driven). Same counts, for
// comparison.
//
// Line safety (default mode): a scan over the whole buffer lets \s, \W, \D, \P{..} and
// negated classes match '\n', so a match could run from one line into the next. Each
// pattern is rewritten so that it cannot match '\n' outside an explicit \n:
//   \s -> [^\S\n]   \W -> [^\w\n]   \D -> [^\d\n]   \H -> [^\h\n]   \P{X} -> [^\p{X}\n]
//   [^...] -> [^...\n]        [..\s..] -> [..(\s spelled out without \n)..]
// A pattern whose positive class holds \W \D \H \v \R \n (which would still match '\n')
// is rejected with a message. --show-rewrite prints every rewritten pattern.
#include <hs/hs.h>

#include <algorithm>

#include "common.h"

static bool line_safe(const std::string& in, bool ucp, std::string& out, std::string& why) {
    out.clear();
    bool in_class = false, neg = false;
    size_t n = in.size();
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '\\' && i + 1 < n) {
            char d = in[i + 1];
            if ((d == 'x' || d == 'o') && i + 2 < n && in[i + 2] == '{') {
                size_t j = in.find('}', i);
                if (j == std::string::npos) j = n - 1;
                out.append(in, i, j - i + 1);
                i = j;
                continue;
            }
            if (d == 'p' || d == 'P') {
                size_t j = i + 2;
                if (j < n && in[j] == '{') {
                    size_t k = in.find('}', j);
                    j = (k == std::string::npos) ? n - 1 : k;
                }
                std::string tok = in.substr(i, j - i + 1);
                if (d == 'P' && !in_class) {
                    out += "[^\\p" + tok.substr(2) + "\\n]";
                } else if (d == 'P' && !neg) {
                    why = "\\P{..} inside a positive class can match a newline";
                    return false;
                } else {
                    out += tok;
                }
                i = j;
                continue;
            }
            if (d == 'Q') {
                why = "\\Q..\\E is not supported by the rewrite";
                return false;
            }
            if (!in_class) {
                switch (d) {
                    case 's': out += "[^\\S\\n]"; break;
                    case 'W': out += "[^\\w\\n]"; break;
                    case 'D': out += "[^\\d\\n]"; break;
                    case 'H': out += "[^\\h\\n]"; break;
                    case 'v': case 'R': case 'n': case 'V':
                        why = std::string("\\") + d + " matches a newline";
                        return false;
                    default: out += c; out += d; break;
                }
            } else if (d == 's' && !neg) {
                // \s inside a positive class: its members but '\n', spelled out
                out += ucp ? "\\t\\x0B\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}"
                             "\\x{202F}\\x{205F}\\x{3000}"
                           : "\\t\\x0B\\f\\r ";
            } else {
                if (!neg && (d == 'W' || d == 'D' || d == 'H' || d == 'v' || d == 'R' || d == 'n' ||
                             d == 'V')) {
                    why = std::string("\\") + d + " inside a positive class can match a newline";
                    return false;
                }
                out += c;
                out += d;
            }
            i++;
            continue;
        }
        if (!in_class) {
            if (c == '[') {
                in_class = true;
                out += '[';
                size_t j = i + 1;
                neg = false;
                if (j < n && in[j] == '^') {
                    neg = true;
                    out += '^';
                    j++;
                }
                if (j < n && in[j] == ']') {
                    out += ']';
                    j++;
                }
                i = j - 1;
                continue;
            }
            if (c == '(' && i + 2 < n && in[i + 1] == '?' && in.compare(i, 4, "(?s)") == 0) {
                why = "(?s) lets . match a newline";
                return false;
            }
            out += c;
        } else {
            if (c == '[' && i + 1 < n && in[i + 1] == ':') {
                size_t k = in.find(":]", i + 2);
                if (k != std::string::npos) {
                    out.append(in, i, k + 2 - i);
                    i = k + 1;
                    continue;
                }
            }
            if (c == ']') {
                if (neg) out += "\\n";
                out += ']';
                in_class = false;
                continue;
            }
            out += c;
        }
    }
    return true;
}

struct Prepared {
    std::vector<std::string> exprs;
    std::vector<unsigned> flags;
    std::vector<unsigned> ids;
};

// Hyperscan rejects \b and \B in UCP mode ("\b unsupported in UCP mode"); such patterns
// are compiled without HS_FLAG_UCP (ASCII \b \w \d \s, as RE2), the others with it.
static bool has_word_boundary(const std::string& s) {
    for (size_t i = 0; i + 1 < s.size(); i++) {
        if (s[i] == '\\') {
            if (s[i + 1] == 'b' || s[i + 1] == 'B') return true;
            i++;
        }
    }
    return false;
}

static size_t g_no_ucp = 0;

static bool prepare(const std::vector<std::string>& pats, bool rewrite, bool single, bool ascii, Prepared& p,
                    bool show) {
    bool ok = true;
    for (size_t i = 0; i < pats.size(); i++) {
        std::string s = pats[i];
        unsigned f = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_MULTILINE;
        if (single) f |= HS_FLAG_SINGLEMATCH;
        if (s.compare(0, 4, "(?i)") == 0) {
            s = s.substr(4);
            f |= HS_FLAG_CASELESS;
        }
        if (ascii || has_word_boundary(s)) {
            f &= ~HS_FLAG_UCP;
            g_no_ucp++;
        }
        if (rewrite) {
            std::string out, why;
            if (!line_safe(s, (f & HS_FLAG_UCP) != 0, out, why)) {
                fprintf(stderr, "hyperscan: pattern %zu is not line-safe: %s\n  %s\n", i + 1, why.c_str(),
                        pats[i].c_str());
                ok = false;
                continue;
            }
            s = out;
        }
        if (show) printf("%s%s%s\n", (f & HS_FLAG_UCP) ? "" : "[no UCP] ", (f & HS_FLAG_CASELESS) ? "(?i)" : "", s.c_str());
        p.exprs.push_back(s);
        p.flags.push_back(f);
        p.ids.push_back((unsigned)i);
    }
    return ok;
}

struct Ctx {
    const char* buf;
    size_t size;
    size_t cur_start, cur_end;  // the last counted line, [start, end)
    std::vector<size_t> starts; // start offsets of counted lines
    bool which;
    std::vector<std::pair<size_t, unsigned>> hits;  // -w: (line start, pattern id)
};

static int on_match(unsigned int id, unsigned long long, unsigned long long to, unsigned int, void* vctx) {
    Ctx* c = (Ctx*)vctx;
    size_t pos = to ? (size_t)to - 1 : 0;  // the match's last byte
    if (pos >= c->cur_start && pos < c->cur_end) {
        if (c->which) c->hits.push_back({c->cur_start, id});
        return 0;
    }
    const char* s = (const char*)memrchr(c->buf, '\n', pos);
    size_t start = s ? (size_t)(s - c->buf) + 1 : 0;
    const char* e = (const char*)memchr(c->buf + pos, '\n', c->size - pos);
    size_t end = e ? (size_t)(e - c->buf) : c->size;
    if (c->buf[pos] == '\n') end = pos + 1;  // (only a pattern that can match '\n' gets here)
    c->cur_start = start;
    c->cur_end = end;
    c->starts.push_back(start);
    if (c->which) c->hits.push_back({start, id});
    return 0;
}

static int on_match_stop(unsigned int, unsigned long long, unsigned long long, unsigned int, void*) {
    return 1;  // first match in the line: stop
}

int main(int argc, char** argv) {
    bool which = false, lines = false, check = false, per_line = false, rewrite = true, show = false, ascii = false;
    std::vector<const char*> pos;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n")) lines = true;
        else if (!strcmp(argv[i], "-w")) which = true;
        else if (!strcmp(argv[i], "--check")) check = true;
        else if (!strcmp(argv[i], "--per-line")) per_line = true;
        else if (!strcmp(argv[i], "--no-rewrite")) rewrite = false;
        else if (!strcmp(argv[i], "--show-rewrite")) show = true;
        else if (!strcmp(argv[i], "--ascii")) ascii = true;
        else pos.push_back(argv[i]);
    }
    if (pos.size() != (check || show ? 1u : 2u)) {
        fprintf(stderr,
                "usage: hyperscan [-n] [--per-line] [--no-rewrite] PATTERNS FILE | hyperscan --check PATTERNS | "
                "hyperscan --show-rewrite PATTERNS\n");
        return 2;
    }
    if (hs_valid_platform() != HS_SUCCESS) {
        fprintf(stderr, "hyperscan: this CPU is not supported by Hyperscan (needs SSSE3)\n");
        return 2;
    }
    std::vector<std::string> pats = bench::read_patterns(pos[0]);
    Prepared prep;
    // --per-line scans one line at a time: no cross-line match is possible, no rewrite needed.
    bool ok = prepare(pats, rewrite && !per_line, per_line, ascii, prep, show);
    if (show) return ok ? 0 : 1;

    if (check) {
        int bad = ok ? 0 : 1;
        for (size_t i = 0; i < prep.exprs.size(); i++) {
            hs_database_t* db = nullptr;
            hs_compile_error_t* err = nullptr;
            if (hs_compile(prep.exprs[i].c_str(), prep.flags[i], HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
                printf("Hyperscan rejects pattern %u: %s\n  %s\n", prep.ids[i] + 1, err->message,
                       pats[prep.ids[i]].c_str());
                hs_free_compile_error(err);
                bad++;
            } else {
                hs_free_database(db);
            }
        }
        fprintf(stderr, "hyperscan --check: %zu patterns, %d rejected\n", pats.size(), bad);
        return bad ? 1 : 0;
    }
    if (!ok) return 2;

    double t0 = bench::now_s();
    std::vector<const char*> cexprs;
    for (auto& s : prep.exprs) cexprs.push_back(s.c_str());
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(cexprs.data(), prep.flags.data(), prep.ids.data(), (unsigned)cexprs.size(), HS_MODE_BLOCK,
                         nullptr, &db, &err) != HS_SUCCESS) {
        if (err->expression >= 0)
            fprintf(stderr, "hyperscan: pattern %u: %s\n  %s\n", prep.ids[err->expression] + 1, err->message,
                    pats[prep.ids[err->expression]].c_str());
        else
            fprintf(stderr, "hyperscan: %s\n", err->message);
        return 2;
    }
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
        fprintf(stderr, "hyperscan: hs_alloc_scratch failed\n");
        return 2;
    }
    double t1 = bench::now_s();
    size_t dbsize = 0;
    hs_database_size(db, &dbsize);

    bench::Mapped m = bench::map_file(pos[1]);
    size_t count = 0, nlines = 0;
    double t2 = bench::now_s();
    if (!per_line) {
        if (m.size > 0xffffffffULL) {
            fprintf(stderr, "hyperscan: file larger than 4 GiB: hs_scan takes a 32-bit length\n");
            return 2;
        }
        Ctx c{m.data, m.size, 1, 0, {}, which, {}};
        hs_error_t rc = hs_scan(db, m.data, (unsigned)m.size, 0, scratch, on_match, &c);
        if (rc != HS_SUCCESS) {
            fprintf(stderr, "hyperscan: hs_scan failed: %d\n", rc);
            return 2;
        }
        if (!std::is_sorted(c.starts.begin(), c.starts.end())) std::sort(c.starts.begin(), c.starts.end());
        c.starts.erase(std::unique(c.starts.begin(), c.starts.end()), c.starts.end());
        count = c.starts.size();
        if (which) {
            std::sort(c.hits.begin(), c.hits.end());
            c.hits.erase(std::unique(c.hits.begin(), c.hits.end()), c.hits.end());
            size_t ln = 1, off = 0;
            for (size_t k = 0; k < c.hits.size(); k++) {
                size_t s = c.hits[k].first;
                if (k && s == c.hits[k - 1].first) {
                    printf(",%u", prep.ids[c.hits[k].second] + 1);
                    continue;
                }
                if (k) putchar('\n');
                while (off < s) {
                    const char* nl = (const char*)memchr(m.data + off, '\n', s - off);
                    if (!nl) break;
                    ln++;
                    off = (size_t)(nl - m.data) + 1;
                }
                printf("%zu\t%u", ln, prep.ids[c.hits[k].second] + 1);
            }
            if (!c.hits.empty()) putchar('\n');
        } else if (lines) {  // line numbers of the counted starts (debugging aid, not timed separately)
            size_t ln = 1, off = 0;
            for (size_t s : c.starts) {
                while (off < s) {
                    const char* nl = (const char*)memchr(m.data + off, '\n', s - off);
                    if (!nl) break;
                    ln++;
                    off = (size_t)(nl - m.data) + 1;
                }
                printf("%zu\n", ln);
            }
        }
    } else {
        const char* p = m.data;
        const char* end = m.data + m.size;
        while (p < end) {
            const char* nl = (const char*)memchr(p, '\n', (size_t)(end - p));
            const char* le = nl ? nl : end;
            nlines++;
            hs_error_t rc = hs_scan(db, p, (unsigned)(le - p), 0, scratch, on_match_stop, nullptr);
            if (rc == HS_SCAN_TERMINATED) {
                count++;
                if (lines) printf("%zu\n", nlines);
            } else if (rc != HS_SUCCESS) {
                fprintf(stderr, "hyperscan: hs_scan failed on line %zu: %d\n", nlines, rc);
                return 2;
            }
            p = le + 1;
        }
    }
    double t3 = bench::now_s();
    if (!lines && !which) printf("%zu\n", count);
    fprintf(stderr, "hyperscan: patterns=%zu no_ucp=%zu mode=%s compile_s=%.3f db_bytes=%zu scan_s=%.3f MB/s=%.1f matched=%zu\n",
            pats.size(), g_no_ucp, per_line ? "per-line" : "whole-buffer", t1 - t0, dbsize, t3 - t2, m.size / 1e6 / (t3 - t2),
            count);
    hs_free_scratch(scratch);
    hs_free_database(db);
    return 0;
}
