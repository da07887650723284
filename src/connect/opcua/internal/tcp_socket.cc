#include "connect/opcua/internal/tcp_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace zhizao::connect::opcua::internal {
namespace {

int MillisUntil(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count(), 60'000));
}

std::string Errno(std::string_view what) { return std::string(what) + ": " + std::strerror(errno); }

Result<int> ConnectOne(const addrinfo& ai, Deadline deadline) {
  int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol);
  if (fd < 0) return Status::Unavailable(Errno("cannot create socket"));
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) != 0 && errno != EINPROGRESS) {
    Status s = Status::Unavailable(Errno("cannot connect"));
    ::close(fd);
    return s;
  }
  pollfd p{fd, POLLOUT, 0};
  int ready = ::poll(&p, 1, MillisUntil(deadline));
  int error = 0;
  socklen_t len = sizeof error;
  if (ready <= 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
    ::close(fd);
    return Status::Unavailable(ready <= 0 ? "cannot connect: timed out"
                                          : "cannot connect: " + std::string(std::strerror(error)));
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

TcpSocket& TcpSocket::operator=(TcpSocket&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Result<TcpSocket> TcpSocket::Connect(const std::string& host, int port, Deadline deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list);
  if (rc != 0) return Status::Unavailable("cannot resolve " + host + ": " + ::gai_strerror(rc));
  Status last = Status::Unavailable("cannot connect: no address for " + host);
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    Result<int> fd = ConnectOne(*ai, deadline);
    if (fd.ok()) {
      ::freeaddrinfo(list);
      return TcpSocket(*fd);
    }
    last = fd.status();
  }
  ::freeaddrinfo(list);
  return last;
}

Status TcpSocket::Wait(short events, Deadline deadline, std::string_view what) {
  while (true) {
    pollfd p{fd_, events, 0};
    int ready = ::poll(&p, 1, MillisUntil(deadline));
    if (ready > 0) return Status::Ok();
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Status::Unavailable(Errno("cannot " + std::string(what)));
    return Status::Unavailable("cannot " + std::string(what) + ": timed out");
  }
}

Result<bool> TcpSocket::WaitReadable(Deadline deadline) {
  if (fd_ < 0) return Status::Unavailable("cannot receive: not connected");
  while (true) {
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, MillisUntil(deadline));
    if (ready >= 0) return ready > 0;
    if (errno != EINTR) return Status::Unavailable(Errno("cannot receive"));
  }
}

Status TcpSocket::SendAll(std::string_view bytes, Deadline deadline) {
  if (fd_ < 0) return Status::Unavailable("cannot send: not connected");
  while (!bytes.empty()) {
    ZZ_RETURN_IF_ERROR(Wait(POLLOUT, deadline, "send"));
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return Status::Unavailable(Errno("cannot send"));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status TcpSocket::ReceiveExact(char* out, size_t n, Deadline deadline) {
  if (fd_ < 0) return Status::Unavailable("cannot receive: not connected");
  size_t got = 0;
  while (got < n) {
    ZZ_RETURN_IF_ERROR(Wait(POLLIN, deadline, "receive"));
    ssize_t r = ::recv(fd_, out + got, n - got, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r < 0) return Status::Unavailable(Errno("cannot receive"));
    if (r == 0) return Status::Unavailable("cannot receive: the server closed the connection");
    got += static_cast<size_t>(r);
  }
  return Status::Ok();
}

void TcpSocket::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace zhizao::connect::opcua::internal
