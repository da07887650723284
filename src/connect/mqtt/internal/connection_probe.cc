#include "connect/mqtt/internal/connection_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace zhizao::connect::mqtt {
namespace {

using Clock = std::chrono::steady_clock;

struct Endpoint {
  std::string host;
  std::string port;
};

// "ssl://host:port", "tcp://[::1]:port".
Endpoint EndpointOf(const std::string& uri) {
  std::string rest = uri.substr(uri.find("://") + 3);
  size_t colon = rest.rfind(':');
  Endpoint endpoint{rest.substr(0, colon), rest.substr(colon + 1)};
  if (endpoint.host.size() > 1 && endpoint.host.front() == '[') endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  return endpoint;
}

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

class Socket {
 public:
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }

  // A connected, blocking socket whose reads and writes time out at `deadline`; or why not.
  // Tries each address of the host in turn, as Paho does.
  std::string Connect(const Endpoint& endpoint, Clock::time_point deadline) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = getaddrinfo(endpoint.host.c_str(), endpoint.port.c_str(), &hints, &found); rc != 0) {
      return "cannot resolve '" + endpoint.host + "': " + gai_strerror(rc);
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
    std::string failed;
    for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
      failed = ConnectTo(*address, deadline);
      if (failed.empty()) return "";
    }
    return failed;
  }

 private:
  std::string ConnectTo(const addrinfo& address, Clock::time_point deadline) {
    if (fd_ >= 0) close(fd_);
    fd_ = socket(address.ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) return std::string("socket: ") + std::strerror(errno);
    if (::connect(fd_, address.ai_addr, address.ai_addrlen) != 0 && errno != EINPROGRESS) return Failed();
    pollfd p{fd_, POLLOUT, 0};
    if (poll(&p, 1, RemainingMs(deadline)) != 1) return Failed("no answer in time");
    int error = 0;
    socklen_t length = sizeof(error);
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return Failed(std::strerror(error));
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
    const int left_ms = std::max(RemainingMs(deadline), 1);  // a zero timeval would mean no timeout
    timeval timeout{left_ms / 1000, (left_ms % 1000) * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    return "";
  }

  std::string Failed(std::string why = std::strerror(errno)) const { return "TCP connect failed: " + why; }

  int fd_ = -1;
};

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// OpenSSL's reason for the last failure, or `otherwise`.
std::string OpenSslReason(std::string otherwise) {
  unsigned long error = ERR_peek_last_error();
  ERR_clear_error();
  if (error == 0) return otherwise;
  const char* reason = ERR_reason_error_string(error);
  return reason != nullptr ? reason : otherwise;
}

// As Paho sets its context up (SSLSocket.c): the CA file or the system's, the client certificate.
std::unique_ptr<SSL_CTX, SslCtxFree> MakeContext(const TlsOptions& tls) {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return ctx;
  if (!tls.ca_file.empty()) {
    SSL_CTX_load_verify_locations(ctx.get(), tls.ca_file.c_str(), nullptr);
  } else {
    SSL_CTX_set_default_verify_paths(ctx.get());
  }
  if (!tls.cert_file.empty()) {
    SSL_CTX_use_certificate_chain_file(ctx.get(), tls.cert_file.c_str());
    SSL_CTX_use_PrivateKey_file(ctx.get(), tls.key_file.c_str(), SSL_FILETYPE_PEM);
  }
  ERR_clear_error();
  if (!tls.insecure_skip_verify) SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  return ctx;
}

std::string ProbeTls(const TlsOptions& tls, const Endpoint& endpoint, int fd) {
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx = MakeContext(tls);
  if (!ctx) return "TLS setup failed: " + OpenSslReason("SSL_CTX_new");
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd);
  in6_addr ip{};
  bool is_ip = inet_pton(AF_INET, endpoint.host.c_str(), &ip) == 1 || inet_pton(AF_INET6, endpoint.host.c_str(), &ip) == 1;
  // SNI, by hand: the SSL_set_tlsext_host_name macro is an old-style cast.
  if (!is_ip) SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(endpoint.host.c_str()));
  if (!tls.insecure_skip_verify) {
    // Paho checks the name after the handshake; here the handshake itself checks it.
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
    if (is_ip) {
      X509_VERIFY_PARAM_set1_ip_asc(param, endpoint.host.c_str());
    } else {
      X509_VERIFY_PARAM_set1_host(param, endpoint.host.c_str(), 0);
    }
  }
  if (SSL_connect(ssl.get()) != 1) {
    long verify = SSL_get_verify_result(ssl.get());
    if (verify != X509_V_OK) {
      return "TLS handshake failed: the broker's certificate was refused: " +
             std::string(X509_verify_cert_error_string(verify));
    }
    return "TLS handshake failed: " + OpenSslReason("the broker closed the connection");
  }
  // With TLS 1.3 the broker judges the client's certificate after the client thinks the handshake
  // is done, and says so in an alert on the first read. MQTT waits for the client to speak first,
  // so a read that stays quiet for 0.3 s means all is well.
  timeval quiet{0, 300'000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &quiet, sizeof(quiet));
  char byte = 0;
  if (SSL_read(ssl.get(), &byte, 1) <= 0 && ERR_peek_last_error() != 0) {
    return "TLS: the broker refused the session after the handshake: " + OpenSslReason("");
  }
  return "";
}

}  // namespace

std::string ProbeBrokerConnection(const BrokerOptions& options, std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  const Endpoint endpoint = EndpointOf(options.uri);
  Socket socket;
  if (std::string failed = socket.Connect(endpoint, deadline); !failed.empty()) return failed;
  if (!options.tls) return "";
  return ProbeTls(*options.tls, endpoint, socket.fd());
}

}  // namespace zhizao::connect::mqtt
