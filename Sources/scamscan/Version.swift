/// The version `scamscan --version` prints.
let scamscanVersion = "0.1.0"
