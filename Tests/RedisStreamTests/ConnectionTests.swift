import Foundation
import RedisStream
import Testing

@Suite(.serialized) struct ConnectionTests {
    @Test func commandsCarryBinaryValuesAndPipelineInOrder() throws {
        let server = try RedisServer()
        let c = try server.client()
        let value: [UInt8] = [0, 0xff, 0x0d, 0x0a, 0x24, 0x2a]  // NUL, a non-UTF-8 byte, CRLF, '$', '*'
        var set = RedisCommand("SET", "k")
        set.arg(value)
        let replies = try c.pipeline([set, RedisCommand("GET", "k"), RedisCommand("INCR", "n"), RedisCommand("INCR", "n"),
                                      RedisCommand("GET", "missing"), RedisCommand("LPUSH", "k", "x")])
        #expect(replies[0] == .status("OK"))
        #expect(replies[1] == .string(value))
        #expect(replies[2] == .integer(1))
        #expect(replies[3] == .integer(2))
        #expect(replies[4] == .null)
        guard case let .error(m) = replies[5] else { Issue.record("LPUSH on a string must fail"); return }
        #expect(m.hasPrefix("WRONGTYPE"))
        // call() turns a server error into a thrown one, with its code.
        do {
            try c.call(RedisCommand("XGROUP", "CREATE", "nostream", "g", "0"))
            Issue.record("XGROUP CREATE without MKSTREAM on a missing key must fail")
        } catch {
            #expect(error.description.contains("ERR") || error.description.contains("requires the key to exist"))
        }
        let empty = try c.call(RedisCommand("ECHO", ""))
        #expect(empty == .string([]))
    }

    @Test func aPasswordFromTheURLIsSentAndAWrongOneIsRefused() throws {
        let server = try RedisServer(password: "s3cret")
        let good = try RedisConnection(url: try RedisURL("redis://:s3cret@127.0.0.1:\(server.port)"))
        #expect(try good.call(RedisCommand("PING")) == .status("PONG"))
        do {
            _ = try RedisConnection(url: try RedisURL("redis://:wrong@127.0.0.1:\(server.port)"))
            Issue.record("a wrong password must be refused")
        } catch {
            #expect(error.description.contains("authentication failed"))
        }
        let none = try RedisConnection(url: try RedisURL("redis://127.0.0.1:\(server.port)"))
        guard case let .error(m) = try none.run(RedisCommand("PING")) else { Issue.record("no password: NOAUTH expected"); return }
        #expect(m.hasPrefix("NOAUTH"))
    }

    @Test func aClosedPortOrAStoppedServerIsAConnectionError() throws {
        do {
            _ = try RedisConnection(url: try RedisURL("redis://127.0.0.1:\(RedisServer.freePort())"), timeout: 1)
            Issue.record("nothing listens there")
        } catch let e {
            guard case .connection = e else { Issue.record("expected a connection error, got \(e)"); return }
            #expect(e.description.contains("is redis-server running there?"))
        }
        let server = try RedisServer()
        let c = try server.client()
        server.stop()
        do {
            _ = try c.run(RedisCommand("PING"))
            Issue.record("the server is gone")
        } catch let e {
            guard case .connection = e else { Issue.record("expected a connection error, got \(e)"); return }
            #expect(!c.isOpen)
        }
    }

    @Test func aServerNotReadyYetIsRetriedOtherErrorsAreNot() {
        #expect(RedisError.server("LOADING Redis is loading the dataset in memory").isTransient)
        #expect(RedisError.server("BUSY Redis is busy running a script").isTransient)
        #expect(RedisError.connection("reset").isTransient)
        #expect(!RedisError.server("WRONGTYPE Operation against a key holding the wrong kind of value").isTransient)
        #expect(!RedisError.server("NOGROUP No such key").isTransient)
        #expect(!RedisError.usage("bad").isTransient)
    }

    @Test func entryIDsOrderAsRedisOrdersThem() {
        let a = EntryID(Array("1700000000000-5".utf8))!, b = EntryID(Array("1700000000000-12".utf8))!
        #expect(a < b)
        #expect(a.description == "1700000000000-5")
        #expect(EntryID(Array("12".utf8)) == nil)
        #expect(EntryID(Array("x-1".utf8)) == nil)
    }
}
