// A loopback TCP proxy for tests that must cut a live connection, as a network fault would:
// the real server keeps running, only the path to it breaks, either at once or silently (a
// half-open path: nothing arrives, nothing is refused). It can also flip one bit of what the
// server sends, as a corrupting network or an attacker would.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace zhizao::connect::opcua {

// Thread-safe.
class TcpProxy {
 public:
  explicit TcpProxy(int target_port) : target_port_(target_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = Loopback(0);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { Accept(); });
  }
  ~TcpProxy() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    accept_thread_.join();
    Sever();
    for (auto& t : pumps_) t.join();
  }

  int port() const { return port_; }

  // Flips the lowest bit of the server's byte `offset` bytes after those it has sent so far.
  void FlipServerByte(int64_t offset) { flip_in_ = offset; }
  bool flipped() const { return flip_in_ < 0; }

  // While on, what the server sends is read and dropped, on every connection: replies lost on
  // their way, as when a link fails just after the server answered.
  void DropServerBytes(bool on) { drop_server_bytes_ = on; }

  // Makes every connection now open a black hole, both ways, without closing it (a cable cut
  // behind a switch, a peer that froze); new ones are forwarded as before.
  void Stall() { stalled_below_ = connections_.load(); }

  // Cuts every connection now open; new ones are accepted as before.
  void Sever() {
    std::lock_guard lock(mu_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }

 private:
  static sockaddr_in Loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    return addr;
  }

  void Accept() {
    while (!stop_) {
      int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;
      int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr = Loopback(target_port_);
      if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      std::lock_guard lock(mu_);
      open_fds_.insert(open_fds_.end(), {client, server});
      const int number = connections_++;
      pumps_.emplace_back([this, client, server, number] { Pump(client, server, number); });
    }
  }

  void Pump(int a, int b, int number) {
    char buffer[65536];
    pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    while (::poll(fds, 2, -1) > 0) {
      bool closed = false;
      for (int i = 0; i < 2; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
        if (n > 0 && (number < stalled_below_ || (i == 1 && drop_server_bytes_))) continue;  // swallowed
        if (i == 1 && n > 0) MaybeFlip(buffer, n);
        if (n <= 0 || ::send(fds[1 - i].fd, buffer, static_cast<size_t>(n), MSG_NOSIGNAL) != n) closed = true;
      }
      if (closed) break;
    }
    std::lock_guard lock(mu_);
    ::shutdown(a, SHUT_RDWR);
    ::shutdown(b, SHUT_RDWR);
    std::erase(open_fds_, a);
    std::erase(open_fds_, b);
    ::close(a);
    ::close(b);
  }

  void MaybeFlip(char* buffer, ssize_t n) {
    const int64_t at = flip_in_;
    if (at < 0) return;
    if (at < n) {
      buffer[at] ^= 0x01;
      flip_in_ = -1;
    } else {
      flip_in_ = at - n;
    }
  }

  const int target_port_;
  std::atomic<int64_t> flip_in_{-1};  // bytes of the server's stream before the one to flip; -1: none
  std::atomic<int> connections_{0};   // accepted so far, numbered from 0
  std::atomic<int> stalled_below_{0};  // connections numbered below this are black holes
  std::atomic<bool> drop_server_bytes_{false};
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<int> open_fds_;       // GUARDED_BY(mu_)
  std::vector<std::thread> pumps_;  // GUARDED_BY(mu_) for emplace; joined after accept stops
  std::thread accept_thread_;
};

}  // namespace zhizao::connect::opcua
