// UTF-8 checks. Private to lineproto/.
#pragma once

#include <string>
#include <string_view>

namespace zhizao::connect::lineproto::internal {

// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or code points above
// U+10FFFF). ASCII text, the usual case, is checked a block of bytes at a time.
bool IsValidUtf8(std::string_view text);

// Appends `text` with each byte that does not start a well-formed sequence replaced by U+FFFD.
void AppendValidUtf8(std::string_view text, std::string* out);

}  // namespace zhizao::connect::lineproto::internal
