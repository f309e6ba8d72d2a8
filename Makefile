# ScamScan: `make run` scans the shipped sample, `make test` runs every test.
# Each target installs what it needs first (Debian/Ubuntu: apt-get, with sudo when not root).

PREFIX  ?= /usr/local
SWIFT   ?= swift
BIN     := .build/release/scamscan
SAMPLE  := Corpus/chat/sample.tsv
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: golden sanitize fuzz test-deps all deps build run test lint model bench install uninstall clean

all: build

# libpcre2-dev (the PCRE2 library and headers), libhiredis-dev (Redis's C client, for the Redis
# Streams worker) and pkg-config (how SwiftPM finds them).
deps:
	@command -v $(SWIFT) >/dev/null || { echo "error: swift not found; install Swift 6 (https://www.swift.org/install) and retry" >&2; exit 2; }
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists libpcre2-8 || ! pkg-config --exists hiredis; then \
		echo "installing libpcre2-dev, libhiredis-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpcre2-dev libhiredis-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release --product scamscan

# Scan the shipped chat sample with the shipped rules; prints the flagged messages.
# (Exit status 1 means "nothing flagged", which is not a failure here.)
run: build
	$(BIN) chat --rules Rules --stats $(SAMPLE) || [ $$? -eq 1 ]
	$(BIN) tx --rules Rules --summary --stats Corpus/transactions/sample.csv || [ $$? -eq 1 ]

# xmllint (libxml2-utils) validates the JUnit XML of `scamscan test` against Tests/EndToEndTests/Data/junit.xsd;
# redis-server runs the Redis Streams tests (each test starts its own on a random loopback port).
test-deps: deps
	@if ! command -v xmllint >/dev/null || ! command -v redis-server >/dev/null; then \
		echo "installing libxml2-utils (xmllint) and redis-server with apt-get"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils redis-server || \
		{ $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils redis-server; }; \
	fi

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Rewrites Tests/EndToEndTests/Data/golden-verdicts.json (verdict counts and the hash of the JSON
# Lines output on a fixed corpus) after a change to the rules or the model that moves verdicts on
# purpose. A refactor must not need it.
golden: test-deps
	$(SWIFT) build --build-tests
	SCAMSCAN_UPDATE_GOLDEN=1 $(SWIFT) test --skip-build --filter verdictsOnTheFixedCorpusAreTheGoldenOnes
	git diff --stat Tests/EndToEndTests/Data/golden-verdicts.json

lint: build
	$(BIN) lint --rules Rules

# The shipped text model, trained from the labelled data committed in Corpus/ (docs/MODEL.md).
# Deterministic: the same data gives the same file, byte for byte (a test checks it). Prints the
# cross-validated and held-out-by-source figures first (MODEL_FOLDS=0 skips them).
MODEL_FOLDS ?= 5
model: build
	$(BIN) learn --corpus Corpus --folds $(MODEL_FOLDS) --output Rules/model.ssm

# The test suite under AddressSanitizer (the binary the end-to-end tests run included), then the
# parallel path (match -j2, many chunks) under ThreadSanitizer, compared with -j1.
# (detect_leaks=0: see fuzz. The shipped model's byte-for-byte rebuild trains on 27,000 messages,
# minutes under ASan for no memory-safety coverage the other learn tests lack; `make test` runs it.
# Likewise the Redis worker scenarios that replay thousands of records through restarts, kills and
# takeovers: ten minutes under ASan, the same code paths as the round trip, bad-entry, unwritable-
# output and SIGTERM tests that do run. And the golden verdicts: 17,000 records through the same
# readers, classifier and printers the other chat and tx tests run.)
ASAN_SKIP_WORKERS := aWorkerKilledMidRun|aServerRestartMidRun|twoWorkersOnDisjoint|aDeadConsumersPending|stateInRedisCarries|aLostGroupIsCreated
sanitize: test-deps
	$(SWIFT) build --build-tests --sanitize=address --build-path .build-asan
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --sanitize=address --build-path .build-asan \
		--skip theShippedModelRebuildsByteForByte --skip verdictsOnTheFixedCorpusAreTheGoldenOnes --skip "$(ASAN_SKIP_WORKERS)"
	$(SWIFT) build --sanitize=thread --build-path .build-tsan --product scamscan
	@mkdir -p .build-tsan/data
	@for i in $$(seq 40); do tail -n +2 Corpus/chat/sample.tsv; done > .build-tsan/data/chat.txt
	.build-tsan/debug/scamscan match -c -j1 -f Benchmarks/patterns-300.txt .build-tsan/data/chat.txt > .build-tsan/data/j1.txt
	TSAN_OPTIONS=halt_on_error=1 .build-tsan/debug/scamscan match -c -j2 --chunk-bytes 65536 -f Benchmarks/patterns-300.txt \
		.build-tsan/data/chat.txt > .build-tsan/data/j2.txt
	TSAN_OPTIONS=halt_on_error=1 .build-tsan/debug/scamscan match -j2 --chunk-bytes 65536 -f Benchmarks/patterns-300.txt \
		< .build-tsan/data/chat.txt | wc -l > .build-tsan/data/j2-pipe.txt
	cmp .build-tsan/data/j1.txt .build-tsan/data/j2.txt
	.build-tsan/debug/scamscan chat --output jsonl --all -j1 Corpus/chat/sample.tsv Corpus/ordinary/rechat-98355852.tsv \
		> .build-tsan/data/chat-j1.jsonl
	TSAN_OPTIONS=halt_on_error=1 .build-tsan/debug/scamscan chat --output jsonl --all -j2 Corpus/chat/sample.tsv \
		Corpus/ordinary/rechat-98355852.tsv > .build-tsan/data/chat-j2.jsonl
	cmp .build-tsan/data/chat-j1.jsonl .build-tsan/data/chat-j2.jsonl
	@echo "sanitize: the test suite passed under AddressSanitizer; match -j2 and chat -j2 ran clean under ThreadSanitizer and agreed with -j1"

# libFuzzer with AddressSanitizer on each target of Fuzz/ for FUZZ_SECONDS seconds: the folded view
# and its span map, the pattern parser and prefilter against PCRE2 alone, the rule loader, the chat
# readers with the full classifier, the CSV reader with the transaction engine. The working corpus is kept in .build-fuzz/corpus; a crash
# writes its input to .build-fuzz/crashes and fails. (-detect_leaks=0: Swift keeps tag bits in
# enum payload pointers, which LeakSanitizer takes for leaks.)
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= fold pattern rules chat tx signals
fuzz: deps
	@for t in $(FUZZ_TARGETS); do \
		SCAMSCAN_FUZZ=1 $(SWIFT) build --build-path .build-fuzz --sanitize=fuzzer --sanitize=address --product fuzz-$$t || exit 2; \
	done
	@mkdir -p .build-fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$t; \
		echo "== fuzz-$$t for $(FUZZ_SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=0 .build-fuzz/debug/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -detect_leaks=0 -print_final_stats=1 \
			-artifact_prefix=.build-fuzz/crashes/$$t- .build-fuzz/corpus/$$t Fuzz/seeds/$$t 2>.build-fuzz/fuzz-$$t.log \
			|| { tail -40 .build-fuzz/fuzz-$$t.log; echo "fuzz-$$t found a failure: input in .build-fuzz/crashes/"; exit 1; }; \
		grep -E "^stat::(number_of_executed_units|average_exec_per_sec)" .build-fuzz/fuzz-$$t.log; \
	done

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
