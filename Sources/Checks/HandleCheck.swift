import ScanSupport
import Normalise
import Model

/// The compiled form of a `handle_lookalike` rule: its protected handles indexed, globally and
/// per channel. Immutable and shared between threads; the channel owner's index is built per
/// channel by the classifier (see `Classifier.ownerIndex`).
package struct HandleCheck: Sendable {
    /// Index into `CompiledPack.rules`.
    package let rule: Int
    package let spec: HandleLookalikeRule
    let global: HandleIndex
    /// Per channel (lower-cased): the handles protected only there.
    let channels: [String: HandleIndex]

    /// `extra` adds handles from the command line (`--protect NAME` or `--protect CHANNEL:NAME`).
    package init(rule: Int, spec: HandleLookalikeRule, extra: [String]) {
        self.rule = rule
        self.spec = spec
        var global: [HandleIndex.Entry] = []
        var channels: [String: [HandleIndex.Entry]] = [:]
        if let list = spec.list {
            for l in list.global { global.append(.init(form: HandleForm(l.handle), source: "\(list.path):\(l.line)")) }
            for (channel, listed) in list.channels {
                channels[channel] = listed.map { .init(form: HandleForm($0.handle), source: "\(list.path):\($0.line)") }
            }
        }
        for name in spec.platformNames { global.append(.init(form: HandleForm(name), source: "platform name")) }
        for name in extra {
            if let colon = name.firstIndex(of: ":") {
                let channel = name[..<colon].lowercased()
                var handle = name[name.index(after: colon)...]
                if handle.hasPrefix("@") { handle = handle.dropFirst() }
                channels[channel, default: []].append(.init(form: HandleForm(handle), source: "--protect"))
            } else {
                global.append(.init(form: HandleForm(name), source: "--protect"))
            }
        }
        self.global = HandleIndex(global)
        self.channels = channels.mapValues(HandleIndex.init)
    }

    /// How `handle` imitates a handle protected here (globally, in `channel`, or as `owner`,
    /// the channel's own index); nil when it imitates none, or is itself protected.
    /// - Complexity: O(1) per index in the handle's length (no array of indexes is built: this
    ///   runs for every author and mention).
    func imitation(of handle: HandleForm, channel: String?, owner: HandleIndex?) -> (HandleImitation, HandleIndex)? {
        let local = channel.flatMap { channels[$0] }
        if global.isGenuine(handle) || local?.isGenuine(handle) == true || owner?.isGenuine(handle) == true { return nil }
        if let found = global.imitation(of: handle, techniques: spec.techniques, maxDistance: nil) { return (found, global) }
        if let local, let found = local.imitation(of: handle, techniques: spec.techniques, maxDistance: nil) { return (found, local) }
        if let owner, let found = owner.imitation(of: handle, techniques: spec.techniques, maxDistance: nil) { return (found, owner) }
        return nil
    }

    /// The evidence for `handle` (`role` is "author" or "mention"), or nil.
    package func evidence(for handle: HandleForm, role: String, channel: String?, owner: HandleIndex?) -> String? {
        let name = "\(role) @\(handle.plain)"
        let scripts = handle.mixesScripts ? ", mixing \(handle.scriptNames.joined(separator: " and ")) letters" : ""
        if let (found, index) = imitation(of: handle, channel: channel, owner: owner) {
            let entry = index.entries[found.entry]
            return "\(name) imitates @\(entry.form.plain) (\(found.detail)\(scripts); protected: \(entry.source))"
        }
        if spec.techniques.contains(.mixedScript) && handle.mixesConfusableScripts {
            return "\(name) mixes \(handle.scriptNames.joined(separator: " and ")) letters"
        }
        return nil
    }
}
