// A blocking TCP client socket whose every operation ends by a deadline.
// Not thread-safe; owned by one connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::connect::opcua::internal {

using Deadline = std::chrono::steady_clock::time_point;

class TcpSocket {
 public:
  TcpSocket() = default;
  ~TcpSocket() { Close(); }
  TcpSocket(TcpSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  TcpSocket& operator=(TcpSocket&& other) noexcept;
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;

  // Unavailable when the host does not resolve, refuses, or does not answer by `deadline`.
  static Result<TcpSocket> Connect(const std::string& host, int port, Deadline deadline);

  // Unavailable when the peer closed; DeadlineExceeded is reported as Unavailable too, with "timed out".
  Status SendAll(std::string_view bytes, Deadline deadline);
  // True when bytes (or the end of the stream) can be read before `deadline`, false when not.
  Result<bool> WaitReadable(Deadline deadline);
  // Fills `out[0, n)`. Unavailable on end of stream, error or timeout.
  Status ReceiveExact(char* out, size_t n, Deadline deadline);

  bool is_open() const { return fd_ >= 0; }
  void Close();

 private:
  explicit TcpSocket(int fd) : fd_(fd) {}
  // Waits until the socket is ready for `events` (POLLIN/POLLOUT) or the deadline passes.
  Status Wait(short events, Deadline deadline, std::string_view what);

  int fd_ = -1;
};

}  // namespace zhizao::connect::opcua::internal
