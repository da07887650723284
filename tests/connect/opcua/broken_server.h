// A socket server that plays a broken OPC UA server for tests: no real server misbehaves on
// demand, so each test scripts the bytes a hostile or faulty peer would send. The first steps
// of a session (Acknowledge, OpenSecureChannel, CreateSession, ActivateSession) are played
// correctly when a script asks for them, so that a fault can be placed at any later point.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

#include "connect/opcua/binary_writer.h"
#include "connect/opcua/codec.h"
#include "connect/opcua/services.h"

namespace zhizao::connect::opcua {

// One accepted connection, seen from the server's side.
class BrokenPeerConnection {
 public:
  explicit BrokenPeerConnection(int fd) : fd_(fd) {}

  // The next chunk from the client (header included); empty when the client closed.
  std::string ReadChunk() {
    std::string header(8, '\0');
    if (!ReadExact(header.data(), 8)) return {};
    uint32_t size;
    std::memcpy(&size, header.data() + 4, 4);
    if (size < 8 || size > (1u << 24)) return {};
    std::string chunk = header;
    chunk.resize(size);
    if (!ReadExact(chunk.data() + 8, size - 8)) return {};
    if (chunk.size() >= 24 && (chunk.starts_with("MSG") || chunk.starts_with("CLO"))) {
      std::memcpy(&last_request_id_, chunk.data() + 20, 4);
    }
    return chunk;
  }

  void Send(std::string_view bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

  // Reads the Hello and answers with an Acknowledge of these limits.
  void Acknowledge(uint32_t buffer = 65535, uint32_t max_message = 0, uint32_t max_chunks = 0) {
    ReadChunk();
    BinaryWriter w;
    w.Raw("ACKF");
    w.U32(28);
    w.U32(0);
    w.U32(buffer);
    w.U32(buffer);
    w.U32(max_message);
    w.U32(max_chunks);
    Send(w.bytes());
  }

  // Reads OpenSecureChannel and opens channel 7 with token 1.
  void Open() {
    std::string request = ReadChunk();
    uint32_t request_id = 0;
    // The sequence header ends the asymmetric header: find it from the policy uri's length.
    uint32_t uri_length;
    std::memcpy(&uri_length, request.data() + 12, 4);
    std::memcpy(&request_id, request.data() + 16 + uri_length + 8 + 4, 4);
    last_request_id_ = request_id;
    BinaryWriter body;
    ResponseHeaderTo(body, OpenSecureChannelResponse::kEncodingId);
    body.U32(0);           // protocol version
    body.U32(kChannelId);  // channel id
    body.U32(1);           // token id
    body.I64(0);           // created at
    body.U32(600000);      // lifetime
    body.NullString();     // server nonce
    BinaryWriter w;
    w.Raw("OPNF");
    w.U32(0);
    w.U32(kChannelId);
    w.String("http://opcfoundation.org/UA/SecurityPolicy#None");
    w.NullString();
    w.NullString();
    w.U32(++sequence_);
    w.U32(request_id);
    w.Raw(body.bytes());
    w.PatchU32(4, static_cast<uint32_t>(w.size()));
    Send(w.bytes());
  }

  // Reads CreateSession and ActivateSession and answers both (anonymous policy "anon").
  void CreateAndActivateSession() {
    ReadChunk();
    BinaryWriter create;
    ResponseHeaderTo(create, CreateSessionResponse::kEncodingId);
    EncodeNodeId(create, NodeId::Numeric(1, 100));  // session id
    EncodeNodeId(create, NodeId::Numeric(1, 101));  // authentication token
    create.F64(60000);
    create.NullString();  // nonce
    create.NullString();  // certificate
    create.I32(1);        // one endpoint
    create.String("opc.tcp://127.0.0.1");
    create.NullString();  // application uri
    create.NullString();  // product uri
    create.U8(0);         // application name
    create.U32(0);        // application type
    create.NullString();
    create.NullString();
    create.I32(-1);
    create.NullString();  // server certificate
    create.U32(1);        // security mode None
    create.String("http://opcfoundation.org/UA/SecurityPolicy#None");
    create.I32(1);  // one token policy
    create.String("anon");
    create.U32(0);
    create.NullString();
    create.NullString();
    create.NullString();
    create.NullString();  // transport profile
    create.U8(0);         // security level
    create.I32(-1);       // software certificates
    create.NullString();
    create.NullString();
    create.U32(0);
    SendMessage(create.bytes());
    ReadChunk();
    BinaryWriter activate;
    ResponseHeaderTo(activate, ActivateSessionResponse::kEncodingId);
    activate.NullString();
    activate.I32(0);
    activate.I32(0);
    SendMessage(activate.bytes());
  }

  // Sends `body` as one final MSG chunk answering the last request read.
  void SendMessage(std::string_view body, char chunk_type = 'F') { Send(MessageChunk(body, chunk_type)); }

  std::string MessageChunk(std::string_view body, char chunk_type = 'F') {
    BinaryWriter w;
    w.Raw("MSG");
    w.U8(static_cast<uint8_t>(chunk_type));
    w.U32(static_cast<uint32_t>(24 + body.size()));
    w.U32(kChannelId);
    w.U32(1);
    w.U32(++sequence_);
    w.U32(last_request_id_);
    w.Raw(body);
    return w.Take();
  }

  // Encoding id and a Good response header, for a response body.
  static void ResponseHeaderTo(BinaryWriter& w, uint32_t encoding_id) {
    EncodeNodeId(w, NodeId::Numeric(0, encoding_id));
    w.I64(0);
    w.U32(0);
    w.U32(0);  // Good
    w.U8(0);   // diagnostics
    w.I32(-1);
    EncodeNullExtensionObject(w);
  }

  uint32_t last_request_id() const { return last_request_id_; }

 private:
  static constexpr uint32_t kChannelId = 7;

  bool ReadExact(char* out, size_t n) {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::recv(fd_, out + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    return true;
  }

  int fd_;
  uint32_t sequence_ = 0;
  uint32_t last_request_id_ = 0;
};

// Accepts connections on a loopback port and runs `script` on each, one at a time.
class BrokenPeer {
 public:
  using Script = std::function<void(BrokenPeerConnection&)>;

  explicit BrokenPeer(Script script) : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~BrokenPeer() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    thread_.join();
  }

  int port() const { return port_; }
  std::string url() const { return "opc.tcp://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_.load(); }

 private:
  void Serve() {
    while (!stop_) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      connections_.fetch_add(1);
      BrokenPeerConnection connection(fd);
      script_(connection);
      ::close(fd);
    }
  }

  Script script_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace zhizao::connect::opcua
