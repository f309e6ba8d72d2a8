// The library as one import: every stage re-exported, for the command line, the Redis worker,
// the fuzz targets and other packages. Inside the package each stage imports only the stages
// below it (Package.swift).
@_exported import ScanSupport
@_exported import Normalise
@_exported import Stream
@_exported import Model
@_exported import Checks
@_exported import Score
@_exported import Transactions
@_exported import Output
@_exported import Pipeline
@_exported import Regression
