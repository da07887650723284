// The body of the line-protocol fuzzer, shared by the libFuzzer binary (clang) and a gtest that
// feeds it random and mutated inputs under any compiler.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::connect::lineproto {

// Reads `data` as a /write body (the first byte picks the precision) and checks, aborting via
// ZZ_CHECK when one breaks, the invariants of every line returned: names not empty, tags sorted
// and unique, field keys unique, the series key canonical, views inside the body or the
// reader's scratch, and a round trip through AppendLine that reads back the same point.
void FuzzLineProtocol(const uint8_t* data, size_t size);

}  // namespace zhizao::connect::lineproto
