#include "broken_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <vector>

namespace zhizao::connect::modbus {
namespace {

constexpr int kRequestBytes = 12;  // MBAP (7) + function, address, count (5)

// Waits up to 50 ms for `fd` to be readable; false when it is not.
bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 50) > 0;
}

void Send(int fd, const std::vector<uint8_t>& bytes) { (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

std::vector<uint8_t> Mbap(const uint8_t* request, uint16_t length) {
  return {request[0], request[1], 0, 0, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length), request[6]};
}

// A correct reply: each register holds 0x1234 + its address, bits alternate.
std::vector<uint8_t> ReadReply(const uint8_t* request, int count) {
  const uint8_t function = request[7];
  const bool bits = function <= 2;
  const int bytes = bits ? (count + 7) / 8 : 2 * count;
  std::vector<uint8_t> reply = Mbap(request, static_cast<uint16_t>(3 + bytes));
  reply.push_back(function);
  reply.push_back(static_cast<uint8_t>(bytes));
  const int address = request[8] << 8 | request[9];
  for (int i = 0; i < bytes; ++i) {
    const auto value = static_cast<uint16_t>(0x1234 + address + i / 2);
    reply.push_back(bits ? 0x55 : static_cast<uint8_t>(i % 2 == 0 ? value >> 8 : value));
  }
  return reply;
}

}  // namespace

BrokenPeer::BrokenPeer(Misbehaviour misbehaviour) : misbehaviour_(misbehaviour) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 && listen(listen_fd_, 8) == 0 &&
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port_ = ntohs(addr.sin_port);
  }
  thread_ = std::thread([this] { Serve(); });
}

BrokenPeer::~BrokenPeer() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
}

void BrokenPeer::Serve() {
  while (!stop_) {
    if (!Readable(listen_fd_)) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections_++;
    if (misbehaviour_ != Misbehaviour::kCloseAtOnce) Converse(fd);
    close(fd);
  }
}

// Reads whole requests until the client goes away or the server stops.
void BrokenPeer::Converse(int fd) {
  uint8_t request[kRequestBytes];
  uint8_t held[kRequestBytes];  // kReversedPairs: the first request of a pair, answered second
  bool holding = false;
  size_t have = 0;
  while (!stop_) {
    if (!Readable(fd)) continue;
    ssize_t n = recv(fd, request + have, sizeof(request) - have, 0);
    if (n <= 0) return;
    have += static_cast<size_t>(n);
    if (have < sizeof(request)) continue;
    have = 0;
    requests_++;
    if (misbehaviour_ == Misbehaviour::kReversedPairs && !holding) {
      std::copy(request, request + kRequestBytes, held);
      holding = true;
      continue;
    }
    Answer(fd, request);
    if (holding) Answer(fd, held);
    holding = false;
  }
}

void BrokenPeer::Answer(int fd, const uint8_t* request) {
  const int count = request[10] << 8 | request[11];
  std::vector<uint8_t> reply = ReadReply(request, count);
  switch (misbehaviour_) {
    case Misbehaviour::kNone:
    case Misbehaviour::kReversedPairs: break;
    case Misbehaviour::kWrongTransactionId: reply[1] ^= 0x5A; break;
    case Misbehaviour::kWrongByteCount: reply = ReadReply(request, count - 1); break;
    case Misbehaviour::kAbsurdLength:
      reply = Mbap(request, 0xFFFF);
      reply.push_back(request[7]);
      reply.push_back(250);
      reply.resize(reply.size() + 250, 0xAB);
      break;
    case Misbehaviour::kTruncated: reply.resize(reply.size() - (reply.size() - 9) / 2); break;
    case Misbehaviour::kGarbage: {
      std::mt19937 rng(static_cast<unsigned>(requests_.load()));
      for (uint8_t& b : reply) b = static_cast<uint8_t>(rng());
      reply.resize(64, 0xEE);
      break;
    }
    case Misbehaviour::kException:
      reply = Mbap(request, 3);
      reply.push_back(static_cast<uint8_t>(request[7] | 0x80));
      reply.push_back(0x04);
      break;
    case Misbehaviour::kMismatchedException:
      reply = Mbap(request, 3);
      reply.push_back(static_cast<uint8_t>((request[7] + 1) | 0x80));
      reply.push_back(0x02);
      break;
    case Misbehaviour::kSilent:
    case Misbehaviour::kCloseAtOnce: return;
  }
  Send(fd, reply);
}

}  // namespace zhizao::connect::modbus
