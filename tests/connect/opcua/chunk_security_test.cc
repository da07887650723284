// The chunk security of secure channels without a peer: P_SHA256 and key derivation against
// vectors computed independently, padding arithmetic, and sealing by one side and unsealing
// by the other (two ChunkSecurity objects with mirrored keys play client and server).
#include "connect/opcua/chunk_security.h"

#include <gtest/gtest.h>

#include <cstring>

#include "connect/opcua/binary_writer.h"

namespace zhizao::connect::opcua {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

std::string Range(int from, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += static_cast<char>(from + i);
  return out;
}

// The TLS 1.2 PRF test vector for SHA-256 (secret, "test label" + seed) published on the
// IETF TLS list, 100 bytes; checked again with Python's hmac/hashlib:
//   def p_sha256(secret, seed, n):
//       out, a = b"", seed
//       while len(out) < n:
//           a = hmac.new(secret, a, hashlib.sha256).digest()
//           out += hmac.new(secret, a + seed, hashlib.sha256).digest()
//       return out[:n]
TEST(ChunkSecurityTest, PSha256MatchesThePublishedTlsPrfVector) {
  const std::string secret = Unhex("9bbe436ba940f017b17652849a71db35");
  const std::string seed = "test label" + Unhex("a0ba9f936cda311827a6f796ffd5198c");
  EXPECT_EQ(Hex(PSha256(secret, seed, 100)),
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa0"
            "22f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66");
}

// Client nonce 00..1f, server nonce 80..9f. Vectors from the p_sha256 above:
//   p_sha256(server_nonce, client_nonce, 80)  (client keys)
//   p_sha256(client_nonce, server_nonce, 80)  (server keys)
TEST(ChunkSecurityTest, DerivesClientAndServerKeysFromTheNonces) {
  const std::string client_nonce = Range(0, 32);
  const std::string server_nonce = Range(0x80, 32);
  const SecurityPolicy& basic = *FindSecurityPolicy("Basic256Sha256");
  SymmetricKeys client = DeriveKeys(basic, server_nonce, client_nonce);
  EXPECT_EQ(Hex(client.signing), "2af527aa718110faf5eb0d676e2a0985495125fd62e6ad63b129793f8f6f4316");
  EXPECT_EQ(Hex(client.encrypting), "1b4b5e8d4e842728e1f9a047e998615c9bd646d620ab90a6cf46eea29d6c9842");
  EXPECT_EQ(Hex(client.iv), "c3c4f8750b47e94eac19e52a5439dd1e");
  SymmetricKeys server = DeriveKeys(basic, client_nonce, server_nonce);
  EXPECT_EQ(Hex(server.signing), "a32cfbeae0a5afe142dadbecb94195a2685c99541cf5b71e9efd592a4b3648ff");
  EXPECT_EQ(Hex(server.encrypting), "e7689712d1babf38c6352b86e5c0881a52af7b418d551caa289df8cf84278e70");
  EXPECT_EQ(Hex(server.iv), "8081af129e631f1a8c56f073c2d50ce8");
  // Aes128_Sha256_RsaOaep takes a 16-byte encrypting key from the same stream.
  SymmetricKeys aes128 = DeriveKeys(*FindSecurityPolicy("Aes128_Sha256_RsaOaep"), server_nonce, client_nonce);
  EXPECT_EQ(aes128.signing, client.signing);
  EXPECT_EQ(Hex(aes128.encrypting), "1b4b5e8d4e842728e1f9a047e998615c");
  EXPECT_EQ(Hex(aes128.iv), "9bd646d620ab90a6cf46eea29d6c9842");
}

// Worked by hand: bytes_to_write + PaddingSize byte + padding [+ ExtraPaddingSize] + signature
// is a whole number of plain-text blocks.
TEST(ChunkSecurityTest, PadsToWholePlainTextBlocks) {
  EXPECT_EQ(PaddingSize(100, 32, 16, false), 11u);    // 100 + 1 + 11 + 32 = 144 = 9 x 16
  EXPECT_EQ(PaddingSize(111, 32, 16, false), 0u);     // 111 + 1 + 32 = 144: a full block needs none
  EXPECT_EQ(PaddingSize(1000, 256, 214, false), 27u);  // RSA 2048 OAEP-SHA1: 1284 = 6 x 214
  EXPECT_EQ(PaddingSize(1000, 256, 190, false), 73u);  // RSA 2048 OAEP-SHA256: 1330 = 7 x 190
  EXPECT_EQ(PaddingSize(100, 256, 470, true), 112u);   // RSA 4096 OAEP-SHA1, two padding size bytes: 470
}

TEST(ChunkSecurityTest, StripsPaddingAndRefusesWrongPadding) {
  std::string chunk = std::string(24, 'h') + "body" + std::string(1, '\x03') + std::string(3, '\x03');
  ASSERT_TRUE(StripPadding(chunk, false, 24).ok());
  EXPECT_EQ(chunk, std::string(24, 'h') + "body");

  std::string wrong = std::string(24, 'h') + std::string(1, '\x03') + "\x03\x02\x03";
  EXPECT_EQ(StripPadding(wrong, false, 24).code(), StatusCode::kCorruption);
  std::string too_long = std::string(24, 'h') + std::string(1, '\x40');
  EXPECT_EQ(StripPadding(too_long, false, 24).code(), StatusCode::kCorruption);

  // A key over 2048 bits: PaddingSize is the low byte, ExtraPaddingSize the high one.
  std::string wide = std::string(24, 'h') + "b" + std::string(1, '\x01') + std::string(257, '\x01') + "\x01";
  ASSERT_TRUE(StripPadding(wide, true, 24).ok());
  EXPECT_EQ(wide, std::string(24, 'h') + "b");
}

struct Side {
  RsaKey key;
  Certificate certificate;
};

Side MakeSide(const std::string& host) {
  RsaKey key = std::move(RsaKey::Generate(2048)).value();
  std::string der = *SelfSignedCertificateDer(key, "urn:" + host + ":test", host);
  return {std::move(key), *Certificate::FromDer(der)};
}

TEST(ChunkSecurityTest, PssSignaturesAreRandomizedAndNotPkcs1) {
  const Side side = MakeSide("signer");
  const std::string data = "what the OpenSecureChannel request signs";
  Result<std::string> pss = side.key.Sign(data, RsaSignature::kPss);
  Result<std::string> again = side.key.Sign(data, RsaSignature::kPss);
  Result<std::string> pkcs1 = side.key.Sign(data, RsaSignature::kPkcs1V15);
  ASSERT_TRUE(pss.ok() && again.ok() && pkcs1.ok());
  EXPECT_EQ(pss->size(), 256u);
  EXPECT_NE(*pss, *again) << "PSS draws a fresh salt per signature";
  Result<RsaKey> verifier = side.certificate.PublicKey();
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE(verifier->Verify(data, *pss, RsaSignature::kPss));
  EXPECT_TRUE(verifier->Verify(data, *again, RsaSignature::kPss));
  EXPECT_FALSE(verifier->Verify(data, *pss, RsaSignature::kPkcs1V15));
  EXPECT_FALSE(verifier->Verify(data, *pkcs1, RsaSignature::kPss));
  EXPECT_FALSE(verifier->Verify(data + ".", *pss, RsaSignature::kPss));
}

TEST(ChunkSecurityTest, Aes256PolicyDerivesLongerKeysAndSpeaksPssAndOaepSha256) {
  const SecurityPolicy& pss = *FindSecurityPolicy("http://opcfoundation.org/UA/SecurityPolicy#Aes256_Sha256_RsaPss");
  EXPECT_EQ(pss.name, "Aes256_Sha256_RsaPss");
  EXPECT_EQ(pss.signature, RsaSignature::kPss);
  EXPECT_EQ(pss.oaep, OaepDigest::kSha256);
  SymmetricKeys keys = DeriveKeys(pss, Range(1, 32), Range(101, 32));
  EXPECT_EQ(keys.signing.size(), 32u);
  EXPECT_EQ(keys.encrypting.size(), 32u);
  EXPECT_EQ(keys.iv.size(), 16u);
}

// Two ChunkSecurity objects whose keys mirror each other: what `client` seals, `server` unseals.
class ChunkSecurityPairTest : public ::testing::TestWithParam<std::tuple<const char*, SecurityMode>> {
 protected:
  static void SetUpTestSuite() {
    client_side_ = new Side(MakeSide("client"));
    server_side_ = new Side(MakeSide("server"));
  }
  static void TearDownTestSuite() {
    delete client_side_;
    delete server_side_;
  }
  void SetUp() override {
    const SecurityPolicy& policy = *FindSecurityPolicy(std::get<0>(GetParam()));
    const SecurityMode mode = std::get<1>(GetParam());
    client_ = std::move(ChunkSecurity::Secure(policy, mode, client_side_->key, client_side_->certificate,
                                     server_side_->certificate)).value();
    server_ = std::move(ChunkSecurity::Secure(policy, mode, server_side_->key, server_side_->certificate,
                                     client_side_->certificate)).value();
    const std::string client_nonce = Range(1, 32);
    const std::string server_nonce = Range(101, 32);
    ASSERT_TRUE(client_->InstallToken(7, client_nonce, server_nonce).ok());
    ASSERT_TRUE(server_->InstallToken(7, server_nonce, client_nonce).ok());  // roles swapped
  }

  static std::string MessageHead(uint32_t token_id) {
    BinaryWriter w;
    w.Raw("MSGF");
    w.U32(0);
    w.U32(42);
    w.U32(token_id);
    return w.Take();
  }
  static std::string Payload(size_t body_bytes) {
    BinaryWriter w;
    w.U32(5);  // sequence number
    w.U32(9);  // request id
    for (size_t i = 0; i < body_bytes; ++i) w.U8(static_cast<uint8_t>(i * 7));
    return w.Take();
  }
  static std::string Plain(std::string head, const std::string& payload) {
    std::string chunk = head + payload;
    const auto size = static_cast<uint32_t>(chunk.size());
    std::memcpy(chunk.data() + 4, &size, 4);
    return chunk;
  }

  static inline Side* client_side_ = nullptr;
  static inline Side* server_side_ = nullptr;
  std::unique_ptr<ChunkSecurity> client_;
  std::unique_ptr<ChunkSecurity> server_;
};

TEST_P(ChunkSecurityPairTest, SealedMessagesUnsealToTheirPlainText) {
  for (size_t body : {0u, 1u, 7u, 8u, 100u, 4000u}) {
    const std::string payload = Payload(body);
    auto sealed = client_->SealMessage(MessageHead(7), payload);
    ASSERT_TRUE(sealed.ok());
    if (body >= 100) {
      const bool in_clear = sealed->find(payload.substr(8)) != std::string::npos;
      EXPECT_EQ(in_clear, std::get<1>(GetParam()) == SecurityMode::kSign) << "the body is in clear only when signing";
    }
    auto unsealed = server_->Unseal(*sealed);
    ASSERT_TRUE(unsealed.ok()) << unsealed.status().ToString();
    EXPECT_EQ(*unsealed, Plain(MessageHead(7), payload)) << body;
  }
}

TEST_P(ChunkSecurityPairTest, RefusesATamperedMessageOrAnUnknownToken) {
  auto sealed = client_->SealMessage(MessageHead(7), Payload(200));
  ASSERT_TRUE(sealed.ok());
  std::string tampered = *sealed;
  tampered[40] ^= 0x01;
  auto refused = server_->Unseal(tampered);
  EXPECT_EQ(refused.status().code(), StatusCode::kCorruption);
  EXPECT_NE(refused.status().message().find("does not verify"), std::string::npos) << refused.status().ToString();
  auto unknown = server_->Unseal(*client_->SealMessage(MessageHead(7), Payload(10)));
  ASSERT_TRUE(unknown.ok());
  std::string other_token = *client_->SealMessage(MessageHead(7), Payload(10));
  other_token[12] = 8;
  EXPECT_NE(server_->Unseal(other_token).status().message().find("unknown security token"), std::string::npos);
}

TEST_P(ChunkSecurityPairTest, SealsOpenSecureChannelWithTheAsymmetricKeys) {
  BinaryWriter head;
  head.Raw("OPNF");
  head.U32(0);
  head.U32(0);
  head.Raw(client_->OpenSecurityHeader());
  const std::string payload = Payload(600);  // several RSA blocks
  auto sealed = client_->SealOpen(head.bytes(), payload);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  auto unsealed = server_->Unseal(*sealed);
  ASSERT_TRUE(unsealed.ok()) << unsealed.status().ToString();
  EXPECT_EQ(*unsealed, Plain(head.bytes(), payload));

  std::string tampered = *sealed;
  tampered[tampered.size() - 10] ^= 0x01;
  EXPECT_EQ(server_->Unseal(tampered).status().code(), StatusCode::kCorruption);
  // The client cannot unseal its own request: it is encrypted for the server's key.
  EXPECT_EQ(client_->Unseal(*sealed).status().code(), StatusCode::kCorruption);
}

INSTANTIATE_TEST_SUITE_P(PoliciesAndModes, ChunkSecurityPairTest,
                         ::testing::Combine(::testing::Values("Basic256Sha256", "Aes128_Sha256_RsaOaep",
                                                              "Aes256_Sha256_RsaPss"),
                                            ::testing::Values(SecurityMode::kSign, SecurityMode::kSignAndEncrypt)));

}  // namespace
}  // namespace zhizao::connect::opcua
