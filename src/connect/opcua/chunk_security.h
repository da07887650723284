// The security of each message chunk (Part 6, 6.7.2 and 6.7.6): signs and encrypts the chunks
// zhizao sends and verifies and decrypts the chunks the server sends, for one secure channel.
//
//   OPN chunks use the asymmetric keys: RSA-OAEP encryption with the receiver's public key (the
//   plain-text block is the key size less the OAEP overhead), RSA PKCS#1 v1.5 SHA-256
//   signatures with the sender's private key. They are signed and encrypted whenever the mode
//   is not None, Sign included.
//   MSG and CLO chunks use the keys derived from the nonces of the token named in the chunk:
//   HMAC-SHA256 signatures (Sign, SignAndEncrypt) and AES-CBC (SignAndEncrypt).
// The sequence header, body, padding and signature are the encrypted part; the signature
// covers the chunk from its first byte to the end of the padding, with the final size in the
// header. Padding is present only when encrypting.
//
// Unseal() returns a chunk of the form a None channel carries (headers, sequence header,
// body; the size field matching), so that ChunkAssembler reads every policy alike.
// Not thread-safe; owned by one SecureChannel.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "connect/opcua/crypto.h"
#include "connect/opcua/security_policy.h"

namespace zhizao::connect::opcua {

// PaddingSize (the count of padding bytes after the PaddingSize byte) for `bytes_to_write`
// (sequence header + body), so that bytes_to_write + padding fields + signature fill whole
// plain-text blocks. Part 6's formula reduced modulo the block: a full block gives 0.
// `extra_padding_byte`: the encrypting key is longer than 2048 bits.
size_t PaddingSize(size_t bytes_to_write, size_t signature_bytes, size_t plain_block_bytes, bool extra_padding_byte);

// Removes PaddingSize, Padding and ExtraPaddingSize from the end of `chunk` (the signature
// already cut off), checking that each padding byte holds the size and that at least
// `keep_bytes` remain. Corruption otherwise.
Status StripPadding(std::string& chunk, bool extra_padding_byte, size_t keep_bytes);

struct SymmetricKeys {
  std::string signing;
  std::string encrypting;
  std::string iv;
};
// The keys P_SHA256(secret, seed) yields, split as Part 6, 6.7.6 says: signing key,
// encrypting key, initialization vector.
SymmetricKeys DeriveKeys(const SecurityPolicy& policy, std::string_view secret, std::string_view seed);

class ChunkSecurity {
 public:
  // The None policy: chunks pass unchanged; OPN responses must name the None policy.
  static std::unique_ptr<ChunkSecurity> None();
  // REQUIRES: !policy.is_none(), mode != kNone. `own_key` is borrowed and must outlive this;
  // it belongs to `own_certificate`. `server_certificate` is the one the trust list accepted.
  static Result<std::unique_ptr<ChunkSecurity>> Secure(const SecurityPolicy& policy, SecurityMode mode,
                                                       const RsaKey& own_key, const Certificate& own_certificate,
                                                       const Certificate& server_certificate);

  const SecurityPolicy& policy() const { return policy_; }
  SecurityMode mode() const { return mode_; }

  // The asymmetric security header of an OPN chunk: policy URI, our certificate, the SHA-1
  // thumbprint of the server's.
  std::string OpenSecurityHeader() const;
  // A nonce for OpenSecureChannel: nonce_bytes() random bytes, empty for None.
  Result<std::string> NewNonce() const;

  // Derives the keys of a token from the nonces of its OpenSecureChannel exchange. The keys
  // of the token before stay usable for chunks the server sent before it switched.
  // Corruption when the server nonce has the wrong length.
  Status InstallToken(uint32_t token_id, std::string_view client_nonce, std::string_view server_nonce);

  // The largest body (after the sequence header) one MSG chunk of `chunk_bytes` can carry.
  size_t MaxBodyBytes(size_t chunk_bytes) const;
  // `head` is an OPN chunk's headers up to and including the security header (its size field
  // is set here); `payload` the sequence header and body. Returns the chunk to send.
  Result<std::string> SealOpen(std::string_view head, std::string_view payload) const;
  // `head` is a MSG or CLO chunk's 16 bytes of header and token id.
  Result<std::string> SealMessage(std::string_view head, std::string_view payload) const;

  // Verifies and decrypts a chunk from the server (as framed by UaTcpConnection). Corruption
  // for a policy, certificate, token, signature or padding that is not right.
  Result<std::string> Unseal(std::string chunk) const;

 private:
  struct TokenKeys {
    uint32_t token_id = 0;
    SymmetricKeys client;
    SymmetricKeys server;
  };

  ChunkSecurity(const SecurityPolicy& policy, SecurityMode mode) : policy_(policy), mode_(mode) {}
  bool encrypting() const { return mode_ == SecurityMode::kSignAndEncrypt; }
  Result<std::string> UnsealOpen(std::string chunk) const;
  Result<std::string> UnsealMessage(std::string chunk) const;
  const TokenKeys* KeysOf(uint32_t token_id) const;

  const SecurityPolicy& policy_;
  const SecurityMode mode_;
  const RsaKey* own_key_ = nullptr;
  std::optional<Certificate> own_certificate_;
  std::optional<Certificate> server_certificate_;
  std::optional<RsaKey> server_key_;
  std::optional<TokenKeys> current_;
  std::optional<TokenKeys> previous_;
};

}  // namespace zhizao::connect::opcua
