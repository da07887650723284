#include "connect/modbus/internal/modbus_session.h"

#include <modbus.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/batch.h"
#include "common/check.h"

namespace zhizao::connect::modbus {
namespace {

// OPC UA status codes (Part 4, 7.39) for Modbus exceptions; batch.h has the common ones.
constexpr uint32_t kBadResourceUnavailable = 0x80040000;
constexpr uint32_t kBadNotReadable = 0x803A0000;
constexpr uint32_t kBadOutOfRange = 0x803C0000;
constexpr uint32_t kBadNotSupported = 0x803D0000;
constexpr uint32_t kBadDeviceFailure = 0x808B0000;

// Connect in slices, so that Interrupt() is noticed within one.
constexpr int kConnectSliceMs = 50;

std::string Hex2(int code) {
  char text[8];
  std::snprintf(text, sizeof(text), "%02X", code & 0xFF);
  return text;
}

Status WaitConnected(int fd, std::chrono::milliseconds timeout, const std::atomic<bool>& interrupted) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!interrupted.load()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Status::Unavailable("no answer within " + std::to_string(timeout.count()) + " ms");
    pollfd p{fd, POLLOUT, 0};
    int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), kConnectSliceMs)));
    if (ready < 0 && errno != EINTR) return Status::Unavailable(std::string("poll: ") + std::strerror(errno));
    if (ready <= 0) continue;
    int error = 0;
    socklen_t len = sizeof(error);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) return Status::Unavailable(std::strerror(error));
    return Status::Ok();
  }
  return Status::Unavailable("interrupted");
}

}  // namespace

ModbusSession::ModbusSession(std::string host, uint16_t port, int unit_id, std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), unit_id_(static_cast<uint8_t>(unit_id)), timeout_(timeout) {
  // The address here is never used: Connect() makes the socket and hands it to libmodbus.
  ctx_ = modbus_new_tcp("127.0.0.1", port_);
  ZZ_CHECK(ctx_ != nullptr, "libmodbus could not allocate a context");
  modbus_set_slave(ctx_, unit_id);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
  modbus_set_response_timeout(ctx_, static_cast<uint32_t>(us / 1'000'000), static_cast<uint32_t>(us % 1'000'000));
  // No byte timeout: the whole reply must then arrive within the response timeout, so a peer
  // that trickles bytes cannot stretch a request (libmodbus re-arms the byte timeout per read).
  modbus_set_byte_timeout(ctx_, 0, 0);
}

ModbusSession::~ModbusSession() {
  Close();
  modbus_free(ctx_);
}

Result<int> ModbusSession::OpenSocket() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &found);
  if (rc != 0) return Status::Unavailable("cannot resolve " + host_ + ": " + gai_strerror(rc));
  Status last = Status::Unavailable("no address for " + host_);
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    Status connected = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS
                           ? WaitConnected(fd, timeout_, interrupted_)
                           : Status::Unavailable(std::strerror(errno));
    if (connected.ok()) {
      freeaddrinfo(found);
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      return fd;
    }
    last = connected;
    close(fd);
  }
  freeaddrinfo(found);
  return last;
}

Status ModbusSession::Connect() {
  Close();
  if (interrupted_.load()) return Status::Unavailable("interrupted");
  Result<int> fd = OpenSocket();
  if (!fd.ok()) return fd.status().WithContext("cannot connect to " + host_ + ":" + std::to_string(port_));
  modbus_set_socket(ctx_, *fd);
  socket_ = *fd;
  received_.clear();
  PublishSocket(*fd);
  return Status::Ok();
}

void ModbusSession::PublishSocket(int fd) {
  std::lock_guard lock(interrupt_mu_);
  interruptible_socket_ = fd;
  if (fd >= 0 && interrupted_.load()) shutdown(fd, SHUT_RDWR);
}

void ModbusSession::Close() {
  if (socket_ < 0) return;
  PublishSocket(-1);  // before the descriptor is closed and its number reused
  modbus_close(ctx_);
  socket_ = -1;
}

void ModbusSession::Interrupt() {
  interrupted_.store(true);
  std::lock_guard lock(interrupt_mu_);
  // The request in flight sees end-of-stream and fails; the owner thread closes the socket.
  if (interruptible_socket_ >= 0) shutdown(interruptible_socket_, SHUT_RDWR);
}

RequestOutcome ModbusSession::Outcome(int rc, int expected, const char* what, uint16_t address) {
  if (rc == expected) return {};
  const int error = errno;
  RequestOutcome outcome;
  std::string context = std::string("cannot ") + what + std::to_string(address) + ": ";
  if (rc >= 0) {
    outcome.status = Status::Corruption(context + "the reply holds " + std::to_string(rc) + " values, not " +
                                        std::to_string(expected));
  } else if (error >= EMBXILFUN && error <= EMBXGTAR) {
    outcome.exception = static_cast<uint8_t>(error - MODBUS_ENOBASE);
    outcome.status = Status::FailedPrecondition(context + "Modbus exception " + Hex2(outcome.exception) + " (" +
                                                modbus_strerror(error) + ")");
  } else if (error == ETIMEDOUT) {
    outcome.timed_out = true;
    outcome.status = Status::Unavailable(context + "no reply within " + std::to_string(timeout_.count()) + " ms");
  } else if (error == EMBBADDATA) {
    // libmodbus says only "Invalid data" for any of these.
    outcome.status = Status::Unavailable(context + "the reply does not match the request (transaction id, protocol id, "
                                                   "function, length or count)");
  } else {
    outcome.status = Status::Unavailable(context + modbus_strerror(error));
  }
  return outcome;
}

RequestOutcome ModbusSession::ReadRegisters(RegisterKind kind, uint16_t address, std::span<uint16_t> registers) {
  const int count = static_cast<int>(registers.size());
  errno = 0;
  if (kind == RegisterKind::kHolding) {
    return Outcome(modbus_read_registers(ctx_, address, count, registers.data()), count, "read HR", address);
  }
  ZZ_CHECK(kind == RegisterKind::kInput, "registers are holding or input registers");
  return Outcome(modbus_read_input_registers(ctx_, address, count, registers.data()), count, "read IR", address);
}

RequestOutcome ModbusSession::ReadBits(RegisterKind kind, uint16_t address, std::span<uint8_t> bits) {
  const int count = static_cast<int>(bits.size());
  errno = 0;
  if (kind == RegisterKind::kCoil) {
    return Outcome(modbus_read_bits(ctx_, address, count, bits.data()), count, "read C", address);
  }
  ZZ_CHECK(kind == RegisterKind::kDiscreteInput, "bits are coils or discrete inputs");
  return Outcome(modbus_read_input_bits(ctx_, address, count, bits.data()), count, "read DI", address);
}

RequestOutcome ModbusSession::WriteRegisters(uint16_t address, std::span<const uint16_t> registers) {
  errno = 0;
  if (registers.size() == 1) return Outcome(modbus_write_register(ctx_, address, registers[0]), 1, "write HR", address);
  const int count = static_cast<int>(registers.size());
  return Outcome(modbus_write_registers(ctx_, address, count, registers.data()), count, "write HR", address);
}

RequestOutcome ModbusSession::WriteCoil(uint16_t address, bool value) {
  errno = 0;
  return Outcome(modbus_write_bit(ctx_, address, value ? 1 : 0), 1, "write C", address);
}

namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

int MillisecondsUntil(SteadyTime deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count() + 1, 0, INT32_MAX));  // +1: never wake just before it
}

// Waits for `events` on fd until the deadline: Ok when ready, Unavailable otherwise.
Status AwaitSocket(int fd, short events, SteadyTime deadline, bool* timed_out) {
  for (;;) {
    if (std::chrono::steady_clock::now() >= deadline) {
      *timed_out = true;
      return Status::Unavailable("timed out");
    }
    pollfd p{fd, events, 0};
    int ready = poll(&p, 1, MillisecondsUntil(deadline));
    if (ready > 0) return Status::Ok();
    if (ready < 0 && errno != EINTR) return Status::Unavailable(std::string("poll: ") + std::strerror(errno));
  }
}

std::string ReadContext(const ReadRequest& request) {
  return "cannot read " + std::string(RegisterKindPrefix(request.kind)) + std::to_string(request.address) + ": ";
}

RequestOutcome Broken(const ReadRequest& request, const Status& why, bool timed_out = false) {
  RequestOutcome outcome;
  outcome.status = Status::Unavailable(ReadContext(request) + why.message());
  outcome.timed_out = timed_out;
  return outcome;
}

RequestOutcome ExceptionOutcome(const ReadRequest& request, uint8_t exception) {
  RequestOutcome outcome;
  outcome.exception = exception;
  outcome.status = Status::FailedPrecondition(ReadContext(request) + "Modbus exception " + Hex2(exception) + " (" +
                                              modbus_strerror(MODBUS_ENOBASE + exception) + ")");
  return outcome;
}

}  // namespace

Status ModbusSession::SendFrame(std::span<const uint8_t> frame, SteadyTime deadline) {
  size_t sent = 0;
  while (sent < frame.size()) {
    ssize_t n = send(socket_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      bool timed_out = false;
      ZZ_RETURN_IF_ERROR(AwaitSocket(socket_, POLLOUT, deadline, &timed_out));
    } else {
      return Status::Unavailable(std::string("send: ") + std::strerror(errno));
    }
  }
  return Status::Ok();
}

Result<std::span<const uint8_t>> ModbusSession::ReceiveFrame(SteadyTime deadline, bool* timed_out) {
  for (;;) {
    if (received_.size() >= kMbapHeaderBytes) {
      ZZ_ASSIGN_OR_RETURN(size_t frame_bytes, FrameBytes(received_));
      if (received_.size() >= frame_bytes) {
        frame_.assign(received_.begin(), received_.begin() + static_cast<std::ptrdiff_t>(frame_bytes));
        received_.erase(received_.begin(), received_.begin() + static_cast<std::ptrdiff_t>(frame_bytes));
        return std::span<const uint8_t>(frame_);
      }
    }
    // Room for one whole frame beyond what is here: a peer cannot make this grow further.
    uint8_t chunk[kMaxAduBytes];
    ssize_t n = recv(socket_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      received_.insert(received_.end(), chunk, chunk + n);
    } else if (n == 0) {
      return Status::Unavailable("the connection was closed");
    } else if (errno == EAGAIN || errno == EINTR) {
      Status ready = AwaitSocket(socket_, POLLIN, deadline, timed_out);
      if (!ready.ok()) {
        return *timed_out ? Status::Unavailable("no reply within " + std::to_string(timeout_.count()) + " ms") : ready;
      }
    } else {
      return Status::Unavailable(std::string("recv: ") + std::strerror(errno));
    }
  }
}

RequestOutcome ModbusSession::ReadPipelined(std::span<const ReadRequest> requests, size_t in_flight,
                                            std::span<uint16_t> registers, std::span<uint8_t> bits,
                                            const ReplyHandler& on_reply) {
  struct Pending {
    size_t index;
    uint16_t transaction_id;
    SteadyTime sent;
  };
  std::vector<Pending> pending;  // in the order sent: the front is the oldest
  size_t next = 0;
  auto fail = [&](size_t index, SteadyTime sent, RequestOutcome outcome) {
    on_reply(index, outcome, sent);
    return outcome;
  };
  while (next < requests.size() || !pending.empty()) {
    for (; next < requests.size() && pending.size() < in_flight; ++next) {
      const ReadRequest& request = requests[next];
      const uint16_t id = next_transaction_id_++;
      const auto frame = EncodeReadRequest(id, unit_id_, request.kind, request.address, request.count);
      const SteadyTime sent = std::chrono::steady_clock::now();
      Status written = SendFrame(frame, sent + timeout_);
      if (!written.ok()) return fail(next, sent, Broken(request, written));
      pending.push_back({next, id, sent});
    }
    const Pending oldest = pending.front();
    bool timed_out = false;
    Result<std::span<const uint8_t>> frame = ReceiveFrame(oldest.sent + timeout_, &timed_out);
    if (!frame.ok()) return fail(oldest.index, oldest.sent, Broken(requests[oldest.index], frame.status(), timed_out));
    Result<ReplyFrame> reply = ParseReplyFrame(*frame);
    if (!reply.ok()) return fail(oldest.index, oldest.sent, Broken(requests[oldest.index], reply.status()));
    auto answered = std::find_if(pending.begin(), pending.end(),
                                 [&](const Pending& p) { return p.transaction_id == reply->transaction_id; });
    if (answered == pending.end()) {
      return fail(oldest.index, oldest.sent,
                  Broken(requests[oldest.index], Status::Corruption("the reply's transaction id " +
                                                                    std::to_string(reply->transaction_id) +
                                                                    " answers no request in flight")));
    }
    const Pending done = *answered;
    pending.erase(answered);
    const ReadRequest& request = requests[done.index];
    Status unpacked = UnpackReadReply(*reply, request.kind, request.count, registers, bits);
    RequestOutcome outcome = !unpacked.ok()          ? Broken(request, unpacked)
                             : reply->function & 0x80 ? ExceptionOutcome(request, reply->exception)
                                                      : RequestOutcome{};
    on_reply(done.index, outcome, done.sent);
    if (outcome.connection_broken()) return outcome;
  }
  // Every request is answered: more bytes mean a frame that lied about its length took bytes of
  // the next, so the stream is out of step and any reply may hold another's bytes.
  if (!received_.empty() && !requests.empty()) {
    const size_t last = requests.size() - 1;
    return fail(last, std::chrono::steady_clock::now(),
                Broken(requests[last], Status::Corruption(std::to_string(received_.size()) +
                                                          " bytes beyond the last reply: the device's frames are "
                                                          "out of step")));
  }
  return {};
}

uint32_t QualityOf(const RequestOutcome& outcome) {
  if (outcome.ok()) return status_codes::kGood;
  switch (outcome.exception) {
    case 0: return status_codes::kBadCommunicationError;
    case MODBUS_EXCEPTION_ILLEGAL_FUNCTION: return kBadNotSupported;
    case MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS: return kBadNotReadable;
    case MODBUS_EXCEPTION_ILLEGAL_DATA_VALUE: return kBadOutOfRange;
    case MODBUS_EXCEPTION_SLAVE_OR_SERVER_FAILURE: return kBadDeviceFailure;
    case MODBUS_EXCEPTION_ACKNOWLEDGE:
    case MODBUS_EXCEPTION_SLAVE_OR_SERVER_BUSY: return kBadResourceUnavailable;
    case MODBUS_EXCEPTION_GATEWAY_PATH:
    case MODBUS_EXCEPTION_GATEWAY_TARGET: return status_codes::kBadNoCommunication;
    default: return status_codes::kBad;
  }
}

}  // namespace zhizao::connect::modbus
