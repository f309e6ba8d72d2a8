# ScamScan: `make run` scans the shipped sample, `make test` runs every test.
# Each target installs what it needs first (Debian/Ubuntu: apt-get, with sudo when not root).

PREFIX  ?= /usr/local
SWIFT   ?= swift
BIN     := .build/release/scamscan
SAMPLE  := Corpus/chat/sample.tsv
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: test-deps all deps build run test lint bench install uninstall clean

all: build

# libpcre2-dev (the PCRE2 library and headers) and pkg-config (how SwiftPM finds them).
deps:
	@command -v $(SWIFT) >/dev/null || { echo "error: swift not found; install Swift 6 (https://www.swift.org/install) and retry" >&2; exit 2; }
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists libpcre2-8; then \
		echo "installing libpcre2-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpcre2-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release --product scamscan

# Scan the shipped chat sample with the shipped rules; prints the flagged messages.
# (Exit status 1 means "nothing flagged", which is not a failure here.)
run: build
	$(BIN) chat --rules Rules --stats $(SAMPLE) || [ $$? -eq 1 ]

# xmllint (libxml2-utils) validates the JUnit XML of `scamscan test` against Tests/EndToEndTests/Data/junit.xsd.
test-deps: deps
	@command -v xmllint >/dev/null || { \
		echo "installing libxml2-utils (xmllint) with apt-get"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils || \
		{ $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils; }; }

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

lint: build
	$(BIN) lint --rules Rules

# Comparative benchmark of the matcher (not part of `make test`): builds release and the peer
# harnesses (RE2::Set, Hyperscan, memchr), generates 200 MB of chat, runs the peers
# single-threaded, checks they agree, and writes the table to Benchmarks/data/report.md.
# The slow rows (naive, ripgrep, pcre2grep): see Benchmarks/README.md and docs/PERFORMANCE.md.
BENCH_ARGS ?= --size-mb 200 --skip naive,rg,rg-pcre2,pcre2grep --report Benchmarks/data/report.md
bench: build
	$(MAKE) -C Benchmarks deps all
	Benchmarks/run.sh $(BENCH_ARGS)

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/scamscan
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/scamscan
	rm -rf $(DESTDIR)$(PREFIX)/share/scamscan/Rules
	cp -R Rules $(DESTDIR)$(PREFIX)/share/scamscan/Rules

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/scamscan
	rm -rf $(DESTDIR)$(PREFIX)/share/scamscan

clean:
	rm -rf .build
