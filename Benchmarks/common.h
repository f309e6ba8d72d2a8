// Shared helpers for the benchmark harnesses: mmap a file, read a pattern file, time.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace bench {

inline double now_s() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct Mapped {
    const char* data = nullptr;
    size_t size = 0;
};

// Map the whole file read-only (MAP_POPULATE: pages are faulted in before timing starts;
// the harnesses time the scan, not the page cache).
inline Mapped map_file(const char* path) {
    Mapped m;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        exit(2);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fprintf(stderr, "cannot stat %s: %s\n", path, strerror(errno));
        exit(2);
    }
    m.size = (size_t)st.st_size;
    if (m.size == 0) {
        close(fd);
        m.data = "";
        return m;
    }
    void* p = mmap(nullptr, m.size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "cannot mmap %s: %s\n", path, strerror(errno));
        exit(2);
    }
    madvise(p, m.size, MADV_SEQUENTIAL);
    close(fd);
    m.data = (const char*)p;
    return m;
}

// One pattern per line; blank lines and lines starting with '#' are skipped (as
// `scamscan match -f`). A trailing '\r' is dropped.
inline std::vector<std::string> read_patterns(const char* path) {
    FILE* f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        exit(2);
    }
    std::vector<std::string> out;
    std::string line;
    int c;
    auto flush = [&]() {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        bool blank = true;
        for (char ch : line)
            if (ch != ' ' && ch != '\t') { blank = false; break; }
        if (!blank && line[0] != '#') out.push_back(line);
        line.clear();
    };
    while ((c = fgetc(f)) != EOF) {
        if (c == '\n') flush();
        else line.push_back((char)c);
    }
    if (!line.empty()) flush();
    fclose(f);
    return out;
}

}  // namespace bench
