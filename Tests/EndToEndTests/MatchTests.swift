import Testing
import Foundation

@Suite(.serialized) struct MatchCommandTests {
    let dir = temporaryDirectory()

    func file(_ name: String, _ text: String) -> String {
        let path = dir + "/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func printsMatchingLinesAndCounts() throws {
        let patterns = file("p.txt", "# scam words\n\nfree\\s+coins\n(?i)cheap gems\n\\d{5,}\n")
        let input = file("in.txt", "FREE COINS\nfree   coins now\nCHEAP GEMS\ncheap gems\ncall 5551234\nnothing\n")
        let r = try scamscan(["match", "-f", patterns, input])
        #expect(r.status == 0)
        #expect(r.out == "free   coins now\nCHEAP GEMS\ncheap gems\ncall 5551234\n")
        let c = try scamscan(["match", "-c", "-f", patterns, input])
        #expect(c.out == "4\n")
        let i = try scamscan(["match", "-c", "-i", "-f", patterns, input])
        #expect(i.out == "5\n")
        let two = try scamscan(["match", "-c", "-f", patterns, input, input])
        #expect(two.out == "\(input):4\n\(input):4\n")
        let e = try scamscan(["match", "-e", "gems", "-e", "nothing"], stdin: "cheap gems\nx\nnothing\n")
        #expect(e.out == "cheap gems\nnothing\n")
    }

    /// ripgrep 13 lets (?i) from one -f pattern change the next; each pattern keeps its own flags.
    @Test func inlineFlagsStayWithTheirPattern() throws {
        let patterns = file("flags.txt", "(?i)alpha\nbeta\n")
        let r = try scamscan(["match", "-f", patterns], stdin: "ALPHA\nBETA\nbeta\n")
        #expect(r.out == "ALPHA\nbeta\n")
    }

    @Test func exitStatusAndErrors() throws {
        let none = try scamscan(["match", "-e", "zzz"], stdin: "a\nb\n")
        #expect(none.status == 1 && none.out.isEmpty)
        let bad = file("bad.txt", "ok\nfree (coins\n")
        let r = try scamscan(["match", "-f", bad], stdin: "x\n")
        #expect(r.status == 2)
        #expect(r.err == "\(bad):2:12: -: invalid pattern: missing closing parenthesis at offset 11\nscamscan: 1 invalid pattern; nothing was searched\n")
        let missing = try scamscan(["match", "-e", "x", dir + "/nope.txt"])
        #expect(missing.status == 2 && missing.err.contains("nope.txt: No such file or directory"))
        #expect(try scamscan(["match"]).status == 2)
    }

    @Test func enginesAndThreadsAgreeOnRealChat() throws {
        // Shipped rule patterns over the corpus and the copypasta data, many small chunks.
        var patterns: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: repoRoot + "/Rules") where name.hasSuffix(".yml") {
            for line in try String(contentsOfFile: repoRoot + "/Rules/" + name, encoding: .utf8).split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.hasPrefix("pattern: '") && t.hasSuffix("'") {
                    patterns.append(String(t.dropFirst(10).dropLast()).replacingOccurrences(of: "''", with: "'"))
                }
            }
        }
        let patternFile = file("rules.txt", patterns.joined(separator: "\n") + "\n")
        var inputs = [repoRoot + "/Corpus/chat/sample.tsv"]
        let pasta = repoRoot + "/../shared/data/twitch-sgdq2017-copypasta/pasta_text_gamesdonequick.txt"
        if FileManager.default.fileExists(atPath: pasta) { inputs.append(pasta) }
        for input in inputs {
            let naive = try scamscan(["match", "--engine", "naive", "-i", "-f", patternFile, input])
            #expect(naive.status == 0)
            for args in [["-j1"], ["-j2", "--chunk-bytes", "4096"], ["-j2", "--chunk-bytes", "100"]] {
                let r = try scamscan(["match", "-i", "-f", patternFile] + args + [input])
                #expect(r.out == naive.out, "\(args) on \(input)")
            }
            let streamed = try scamscan(["match", "-i", "--line-buffered", "-f", patternFile],
                                        stdin: try String(contentsOfFile: input, encoding: .utf8))
            #expect(streamed.out == naive.out)
        }
    }

    @Test func statsNameAlwaysRunPatternsAndWhy() throws {
        let patterns = file("s.txt", "free coins\n\\d{5,}\n\\Aabc\n\\R\\d\n")
        let r = try scamscan(["match", "-c", "--stats", "-f", patterns], stdin: "free coins\n12345\nabc\n")
        #expect(r.out == "3\n")
        #expect(r.err.contains("always-run:         2"))
        #expect(r.err.contains("\(patterns):2: \\d{5,}: no literal of 2+ bytes that every match must contain; scanned over whole buffers"))
        #expect(r.err.contains("\(patterns):4: \\R\\d: no literal of 2+ bytes that every match must contain; runs on every line"))
        for key in ["lines:", "bytes:", "patterns:", "candidate lines:", "PCRE2 confirmations:", "matching lines:", "seconds:"] {
            #expect(r.err.contains(key), "\(key)")
        }
    }

    @Test func crlfLinesPrintWithoutTheCarriageReturn() throws {
        let input = file("crlf.txt", "free coins\r\nnope\r\n")
        let r = try scamscan(["match", "-e", "coins", input])
        #expect(r.out == "free coins\n")
    }
}

@Suite(.serialized) struct ChatEngineTests {
    @Test func prefilterAndNaiveEnginesGiveIdenticalVerdicts() throws {
        let args = ["chat", "--rules", repoRoot + "/Rules", "--all", "--output", "jsonl", repoRoot + "/Corpus/chat/sample.tsv"]
        let a = try scamscan(args)
        let b = try scamscan(args + ["--engine", "naive"])
        #expect(!a.out.isEmpty)
        #expect(a.out == b.out)
    }
}
