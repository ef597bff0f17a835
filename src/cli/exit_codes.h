// The CLI's exit codes: scripts can tell success, bad usage and failure apart.
#pragma once

namespace quarry::cli {

enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitUsage = 2, kExitCancelled = 130 };

}  // namespace quarry::cli
