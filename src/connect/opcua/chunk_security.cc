#include "connect/opcua/chunk_security.h"

#include <openssl/crypto.h>

#include <cstring>

#include "common/check.h"
#include "connect/opcua/binary_reader.h"
#include "connect/opcua/binary_writer.h"

namespace zhizao::connect::opcua {
namespace {

constexpr size_t kSymmetricHeadBytes = 16;  // type, size, channel id, token id
constexpr size_t kSequenceHeaderBytes = 8;
constexpr size_t kLargestPlainPaddingKeyBytes = 256;  // keys over 2048 bits need ExtraPaddingSize

void PatchSize(std::string& chunk) {
  const auto size = static_cast<uint32_t>(chunk.size());
  std::memcpy(chunk.data() + 4, &size, 4);
}

void AppendPadding(std::string& out, size_t padding, bool extra_padding_byte) {
  const auto low = static_cast<char>(padding & 0xff);
  out += low;
  out.append(padding, low);
  if (extra_padding_byte) out += static_cast<char>(padding >> 8);
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

size_t PaddingSize(size_t bytes_to_write, size_t signature_bytes, size_t plain_block_bytes, bool extra_padding_byte) {
  const size_t used = bytes_to_write + signature_bytes + 1 + (extra_padding_byte ? 1 : 0);
  return (plain_block_bytes - used % plain_block_bytes) % plain_block_bytes;
}

Status StripPadding(std::string& chunk, bool extra_padding_byte, size_t keep_bytes) {
  const size_t fields = extra_padding_byte ? 2 : 1;
  if (chunk.size() < keep_bytes + fields) return Status::Corruption("a chunk is too short for its padding");
  const auto low = static_cast<uint8_t>(chunk[chunk.size() - fields]);
  size_t padding = low;
  if (extra_padding_byte) padding |= static_cast<size_t>(static_cast<uint8_t>(chunk.back())) << 8;
  if (padding > chunk.size() - keep_bytes - fields) return Status::Corruption("a chunk's padding size exceeds it");
  // [PaddingSize][Padding: PaddingSize bytes of its low byte][ExtraPaddingSize]
  const size_t padding_end = chunk.size() - (fields - 1);
  const size_t padding_start = padding_end - padding;
  for (size_t i = padding_start; i < padding_end; ++i) {
    if (static_cast<uint8_t>(chunk[i]) != low) return Status::Corruption("a chunk's padding bytes are wrong");
  }
  chunk.resize(padding_start - 1);
  return Status::Ok();
}

SymmetricKeys DeriveKeys(const SecurityPolicy& policy, std::string_view secret, std::string_view seed) {
  const size_t sign = policy.signing_key_bytes;
  const size_t encrypt = policy.encryption_key_bytes;
  const std::string bytes = PSha256(secret, seed, sign + encrypt + policy.block_bytes);
  return {bytes.substr(0, sign), bytes.substr(sign, encrypt), bytes.substr(sign + encrypt)};
}

std::unique_ptr<ChunkSecurity> ChunkSecurity::None() {
  return std::unique_ptr<ChunkSecurity>(new ChunkSecurity(PolicyNone(), SecurityMode::kNone));
}

Result<std::unique_ptr<ChunkSecurity>> ChunkSecurity::Secure(const SecurityPolicy& policy, SecurityMode mode,
                                                             const RsaKey& own_key, const Certificate& own_certificate,
                                                             const Certificate& server_certificate) {
  ZZ_CHECK(!policy.is_none() && mode != SecurityMode::kNone, "a secure channel has a secure policy and mode");
  std::unique_ptr<ChunkSecurity> security(new ChunkSecurity(policy, mode));
  security->own_key_ = &own_key;
  security->own_certificate_ = own_certificate;
  security->server_certificate_ = server_certificate;
  ZZ_ASSIGN_OR_RETURN(RsaKey server_key, server_certificate.PublicKey());
  if (server_key.size_bytes() < 128 || server_key.size_bytes() > 1024) {
    return Status::FailedPrecondition("the server's RSA key of " + std::to_string(server_key.size_bytes() * 8) +
                                      " bits is outside 1024..8192");
  }
  security->server_key_ = std::move(server_key);
  return security;
}

std::string ChunkSecurity::OpenSecurityHeader() const {
  BinaryWriter w;
  w.String(policy_.uri);
  if (mode_ == SecurityMode::kNone) {
    w.NullString();
    w.NullString();
  } else {
    w.String(own_certificate_->der());
    w.String(server_certificate_->thumbprint());
  }
  return w.Take();
}

Result<std::string> ChunkSecurity::NewNonce() const {
  if (policy_.is_none()) return std::string();
  return RandomBytes(policy_.nonce_bytes);
}

Status ChunkSecurity::InstallToken(uint32_t token_id, std::string_view client_nonce, std::string_view server_nonce) {
  if (policy_.is_none()) return Status::Ok();
  if (server_nonce.size() != policy_.nonce_bytes) {
    return Status::Corruption("the server's nonce has " + std::to_string(server_nonce.size()) + " bytes; " +
                              std::string(policy_.name) + " needs " + std::to_string(policy_.nonce_bytes));
  }
  previous_ = std::move(current_);
  current_ = TokenKeys{token_id, DeriveKeys(policy_, server_nonce, client_nonce),
                       DeriveKeys(policy_, client_nonce, server_nonce)};
  return Status::Ok();
}

const ChunkSecurity::TokenKeys* ChunkSecurity::KeysOf(uint32_t token_id) const {
  if (current_ && current_->token_id == token_id) return &*current_;
  if (previous_ && previous_->token_id == token_id) return &*previous_;
  return nullptr;
}

size_t ChunkSecurity::MaxBodyBytes(size_t chunk_bytes) const {
  const size_t after_head = chunk_bytes - kSymmetricHeadBytes;
  switch (mode_) {
    case SecurityMode::kNone: return after_head - kSequenceHeaderBytes;
    case SecurityMode::kSign: return after_head - policy_.signature_bytes - kSequenceHeaderBytes;
    case SecurityMode::kSignAndEncrypt: break;
  }
  const size_t block = policy_.block_bytes;
  return block * ((after_head - policy_.signature_bytes - 1) / block) - kSequenceHeaderBytes;
}

Result<std::string> ChunkSecurity::SealOpen(std::string_view head, std::string_view payload) const {
  std::string out(head);
  if (mode_ == SecurityMode::kNone) {
    out += payload;
    PatchSize(out);
    return out;
  }
  const size_t cipher_block = server_key_->size_bytes();
  const size_t plain_block = cipher_block - OaepOverhead(policy_.oaep);
  const size_t signature_bytes = own_key_->size_bytes();
  const bool extra = cipher_block > kLargestPlainPaddingKeyBytes;
  const size_t padding = PaddingSize(payload.size(), signature_bytes, plain_block, extra);
  const size_t plain_bytes = payload.size() + 1 + padding + (extra ? 1 : 0) + signature_bytes;
  ZZ_CHECK(plain_bytes % plain_block == 0, "padding fills the last block");
  const size_t total = head.size() + plain_bytes / plain_block * cipher_block;
  const auto size = static_cast<uint32_t>(total);
  std::memcpy(out.data() + 4, &size, 4);
  out += payload;
  AppendPadding(out, padding, extra);
  ZZ_ASSIGN_OR_RETURN(std::string signature, own_key_->Sign(out, policy_.signature));
  out += signature;
  std::string sealed(head.substr(0, 4));
  sealed.append(out, 4, head.size() - 4);
  for (size_t at = head.size(); at < out.size(); at += plain_block) {
    ZZ_ASSIGN_OR_RETURN(std::string block,
                        server_key_->Encrypt(std::string_view(out).substr(at, plain_block), policy_.oaep));
    sealed += block;
  }
  ZZ_CHECK(sealed.size() == total, "the sealed chunk has the size in its header");
  return sealed;
}

Result<std::string> ChunkSecurity::SealMessage(std::string_view head, std::string_view payload) const {
  std::string out(head);
  out += payload;
  if (mode_ == SecurityMode::kNone) {
    PatchSize(out);
    return out;
  }
  ZZ_CHECK(current_.has_value(), "a token is installed before messages are sealed");
  const size_t signature_bytes = policy_.signature_bytes;
  size_t padding = 0;
  if (encrypting()) padding = PaddingSize(payload.size(), signature_bytes, policy_.block_bytes, false);
  const auto size = static_cast<uint32_t>(out.size() + (encrypting() ? 1 + padding : 0) + signature_bytes);
  std::memcpy(out.data() + 4, &size, 4);
  if (encrypting()) AppendPadding(out, padding, false);
  out += HmacSha256(current_->client.signing, out);
  if (!encrypting()) return out;
  std::string region = AesCbcEncrypt(current_->client.encrypting, current_->client.iv,
                                     std::string_view(out).substr(kSymmetricHeadBytes));
  out.replace(kSymmetricHeadBytes, region.size(), region);
  return out;
}

Result<std::string> ChunkSecurity::Unseal(std::string chunk) const {
  if (chunk.compare(0, 3, "OPN") == 0) return UnsealOpen(std::move(chunk));
  if (mode_ == SecurityMode::kNone) return chunk;
  return UnsealMessage(std::move(chunk));
}

Result<std::string> ChunkSecurity::UnsealOpen(std::string chunk) const {
  DecodeLimits limits;
  limits.max_string_bytes = 1u << 16;  // a certificate chain
  BinaryReader r({reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()}, limits);
  r.Take(12);  // header and channel id
  const std::string policy = r.String();
  const std::string sender = r.String();
  const std::string thumbprint = r.String();
  if (!r.ok()) return r.status();
  if (policy != policy_.uri) {
    return Status::Corruption("the server answered OpenSecureChannel under policy '" + policy + "', not " +
                              std::string(policy_.uri));
  }
  if (mode_ == SecurityMode::kNone) return chunk;
  const size_t head = r.offset();
  Result<Certificate> sender_certificate = Certificate::FirstOfChain(sender);
  if (!sender_certificate.ok() || sender_certificate->der() != server_certificate_->der()) {
    return Status::Corruption("the OpenSecureChannel response comes with a certificate other than the server's");
  }
  if (thumbprint != own_certificate_->thumbprint()) {
    return Status::Corruption("the OpenSecureChannel response is meant for another client certificate");
  }
  const size_t cipher_block = own_key_->size_bytes();
  const size_t region = chunk.size() - head;
  if (region == 0 || region % cipher_block != 0) {
    return Status::Corruption("an encrypted OpenSecureChannel response of " + std::to_string(region) +
                              " bytes is not whole RSA blocks");
  }
  std::string plain = chunk.substr(0, head);
  for (size_t at = head; at < chunk.size(); at += cipher_block) {
    ZZ_ASSIGN_OR_RETURN(std::string block, own_key_->Decrypt(std::string_view(chunk).substr(at, cipher_block),
                                                             policy_.oaep));
    plain += block;
  }
  const size_t signature_bytes = server_key_->size_bytes();
  if (plain.size() < head + kSequenceHeaderBytes + signature_bytes) {
    return Status::Corruption("an OpenSecureChannel response is too short for its signature");
  }
  const size_t signed_bytes = plain.size() - signature_bytes;
  if (!server_key_->Verify(std::string_view(plain).substr(0, signed_bytes),
                           std::string_view(plain).substr(signed_bytes), policy_.signature)) {
    return Status::Corruption("the signature of an OpenSecureChannel response does not verify");
  }
  plain.resize(signed_bytes);
  ZZ_RETURN_IF_ERROR(StripPadding(plain, cipher_block > kLargestPlainPaddingKeyBytes, head + kSequenceHeaderBytes));
  PatchSize(plain);
  return plain;
}

Result<std::string> ChunkSecurity::UnsealMessage(std::string chunk) const {
  if (chunk.size() < kSymmetricHeadBytes) return Status::Corruption("a message chunk is shorter than its header");
  uint32_t token_id = 0;
  std::memcpy(&token_id, chunk.data() + 12, 4);
  const TokenKeys* keys = KeysOf(token_id);
  if (!keys) return Status::Corruption("a message chunk uses unknown security token " + std::to_string(token_id));
  if (encrypting()) {
    std::string_view region = std::string_view(chunk).substr(kSymmetricHeadBytes);
    if (region.size() % policy_.block_bytes != 0) {
      return Status::Corruption("an encrypted message chunk of " + std::to_string(region.size()) +
                                " bytes is not whole AES blocks");
    }
    std::string plain = AesCbcDecrypt(keys->server.encrypting, keys->server.iv, region);
    chunk.replace(kSymmetricHeadBytes, plain.size(), plain);
  }
  const size_t signature_bytes = policy_.signature_bytes;
  if (chunk.size() < kSymmetricHeadBytes + kSequenceHeaderBytes + signature_bytes) {
    return Status::Corruption("a message chunk is too short for its signature");
  }
  const size_t signed_bytes = chunk.size() - signature_bytes;
  const std::string expected = HmacSha256(keys->server.signing, std::string_view(chunk).substr(0, signed_bytes));
  if (!ConstantTimeEqual(expected, std::string_view(chunk).substr(signed_bytes))) {
    return Status::Corruption("the signature of a message chunk does not verify");
  }
  chunk.resize(signed_bytes);
  if (encrypting()) ZZ_RETURN_IF_ERROR(StripPadding(chunk, false, kSymmetricHeadBytes + kSequenceHeaderBytes));
  PatchSize(chunk);
  return chunk;
}

}  // namespace zhizao::connect::opcua
