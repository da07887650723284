#include "connect/modbus/internal/modbus_session.h"

#include <modbus.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

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
    : host_(std::move(host)), port_(port), timeout_(timeout) {
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
