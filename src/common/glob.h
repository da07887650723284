// Glob patterns as SQLite's GLOB reads them, so that a pattern means the same in a query of the
// catalog and in code: '*' any run of characters ('/' included), '?' one character, '[abc]',
// '[a-z]' and '[^a-z]' one of a set; everything else itself, case-sensitively. Bytes, not
// code points: a '?' matches one byte of a multi-byte character.
#pragma once

#include <string_view>

namespace zhizao {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace zhizao
