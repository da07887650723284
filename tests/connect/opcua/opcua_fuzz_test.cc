// Runs the fuzzer's body on random and mutated inputs so that every compiler's CI covers it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "broken_server.h"
#include "fuzz_replay.h"
#include "opcua_fuzz_target.h"

namespace zhizao::connect::opcua {
namespace {

std::string ReadResponseSeed() {
  BinaryWriter w;
  w.U8(0);
  BrokenPeerConnection::ResponseHeaderTo(w, ReadResponse::kEncodingId);
  w.I32(2);
  EncodeDataValue(w, DataValue{true, Variant::Of(BuiltinType::kFloat, 21.5), 0, 1, 2});
  EncodeDataValue(w, DataValue{true, Variant{BuiltinType::kString, true, {std::string("a"), std::string("b")}, {2}}});
  w.I32(0);
  return w.Take();
}

std::string PublishResponseSeed() {
  BinaryWriter change;
  change.I32(1);
  change.U32(3);
  EncodeDataValue(change, DataValue{true, Variant::Of(BuiltinType::kInt32, int64_t{7}), 0x40000000, 5});
  change.I32(0);
  BinaryWriter w;
  w.U8(2);
  BrokenPeerConnection::ResponseHeaderTo(w, PublishResponse::kEncodingId);
  w.U32(1);
  EncodeU32Array(w, {4, 5});
  w.Bool(false);
  w.U32(5);
  w.I64(0);
  w.I32(1);
  EncodeExtensionObject(w, ExtensionObject{NodeId::Numeric(0, 811), 1, change.bytes()});
  w.I32(0);
  w.I32(0);
  return w.Take();
}

std::string VariantSeed() {
  BinaryWriter w;
  w.U8(9);
  EncodeVariant(w, Variant{BuiltinType::kLocalizedText, true, {LocalizedText{"en", "x"}, LocalizedText{"", "y"}}, {}});
  return w.Take();
}

std::string ChunksSeed() {
  BrokenPeerConnection c(-1);
  std::string out(1, '\x0b');
  for (std::string chunk : {c.MessageChunk("abc", 'C'), c.MessageChunk(PublishResponseSeed().substr(1))}) {
    const auto length = static_cast<uint16_t>(chunk.size());
    out.append(reinterpret_cast<const char*>(&length), 2);
    out += chunk;
  }
  return out;
}

std::string TamperedChunkSeed() {
  BinaryWriter w;
  w.U8(13);
  w.U16(300);                   // body bytes
  w.U16(40);                    // flip at 40 ...
  w.U8(0);                      // ... with mask 0: no flip
  return w.Take();
}

std::string PaddingSeed() {
  std::string out(1, '\x0e');
  out += std::string(12, 'h') + "body" + std::string(4, '\x03');
  return out;
}

// A UA-TCP Error message's body: BadTcpMessageTooLarge and its reason.
std::string ErrorSeed() {
  BinaryWriter w;
  w.U8(20);
  w.U32(0x80800000);
  w.String("the chunk is too large");
  return w.Take();
}

std::string DefinitionSeed() {
  return std::string(1, '\x15') +
         R"({"name": "m1", "type": "opcua", "endpoint": "opc.tcp://127.0.0.1:4840", "security": "Basic256Sha256",)"
         R"( "mode": "SignAndEncrypt", "pki_dir": "/tmp/pki", "publishing_ms": 100,)"
         R"( "tags": [{"tag": "a/b/t", "node": "ns=1;s=Machine1.Temperature", "sampling_ms": 100},)"
         R"(          {"tag": "a/b/s", "node": "ns=1;i=1001", "writable": true}]})";
}

void Feed(const std::string& input) { FuzzOpcUa(reinterpret_cast<const uint8_t*>(input.data()), input.size()); }

TEST(OpcUaFuzzTest, SurvivesMutatedValidInputs) {
  const std::string interesting("\x00\x01\x80\xff\x7f\x0b\x0c\x18\x17\x40\x03MSGFCA", 17);
  fuzz_replay::Mutated({ReadResponseSeed(), PublishResponseSeed(), VariantSeed(), ChunksSeed(), TamperedChunkSeed(),
                        PaddingSeed(), ErrorSeed(), DefinitionSeed()},
                       interesting, 50'000, Feed);
}

TEST(OpcUaFuzzTest, SurvivesRandomInputs) {
  fuzz_replay::Random(std::string("\x00\x01\x02\x80\xff\x7f\x18\x17MSGF", 13), 20'000, Feed);
}

}  // namespace
}  // namespace zhizao::connect::opcua
