import Testing
@testable import RedisStream
import ScamScan

@Suite struct RedisURLTests {
    @Test func parsesHostPortPasswordAndDatabase() throws {
        let u = try RedisURL("redis://:s3cret@10.0.0.5:6380/2")
        #expect(u.host == "10.0.0.5")
        #expect(u.port == 6380)
        #expect(u.password == "s3cret")
        #expect(u.user == nil)
        #expect(u.database == 2)
        #expect(u.description == "redis://:***@10.0.0.5:6380/2")
        let acl = try RedisURL("redis://worker:p%40ss@cache.internal")
        #expect(acl.user == "worker")
        #expect(acl.password == "p@ss")
        #expect(acl.port == 6379)
        let v6 = try RedisURL("redis://[::1]:7000")
        #expect(v6.host == "::1")
        #expect(v6.port == 7000)
        #expect(try RedisURL("redis://").host == "127.0.0.1")
    }

    @Test func refusesBadURLsSayingHowToFixThem() {
        for (bad, says) in [("http://localhost", "expected redis://"), ("rediss://host", "TLS"),
                            ("redis://host:99999", "port must be a number"), ("redis://host:abc", "port"),
                            ("redis://host/x", "database")] {
            #expect(throws: RedisError.self) { try RedisURL(bad) }
            do {
                _ = try RedisURL(bad)
            } catch {
                #expect(error.description.contains(says), "\(bad): \(error.description)")
            }
        }
    }
}

@Suite struct PartitioningTests {
    @Test func theHashIsFNV1aAndStable() {
        // The documented vectors (docs/SCALE.md): producers in other languages must agree.
        #expect(ChannelPartition.fnv1a32(Array("".utf8)) == 0x811c_9dc5)
        #expect(ChannelPartition.fnv1a32(Array("luna".utf8)) == 0x0503_3d87)
        #expect(ChannelPartition.fnv1a32(Array("a".utf8)) == 0xe40c_292c)
        Array("luna".utf8).withUnsafeBytes { #expect(ChannelPartition.of($0, count: 4) == 3) }
        #expect(ChannelPartition.of(nil, count: 4) == Int(0x811c_9dc5 % 4))
        #expect(Partitioning.key("chat", 3) == "chat:3")
        #expect(Partitioning.stateKey("chat", 3) == "chat:3:state")
    }

    @Test func partitionListsTakeNumbersAndRanges() throws {
        #expect(try Partitioning.parseList("0-3") == [0, 1, 2, 3])
        #expect(try Partitioning.parseList("5,0-1,1") == [0, 1, 5])
        for bad in ["", "a", "3-1", "-1", "1,,2", "0-"] {
            #expect(throws: RedisError.self, "\(bad)") { try Partitioning.parseList(bad) }
        }
    }
}
