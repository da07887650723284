// Replacing a small file whole: readers see the old contents or the new, never a mix, and a
// crash or power cut at any moment leaves one of the two on disk.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao {

// Writes `bytes` to "<path>.tmp", syncs it, renames it over `path` and syncs the directory.
// Errors: IOError "cannot write <path>: <cause>" (the old file is then left as it was).
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

// The whole file. Errors: NotFound when it does not exist; IOError otherwise.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace zhizao
