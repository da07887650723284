// One Modbus TCP connection through libmodbus, whose types stay inside this file pair.
//
// Not thread-safe: owned by the connector's thread, except Interrupt(), which any thread may call
// to make a blocked Connect or request fail at once (Stop() uses it, so that it never waits out a
// response timeout).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/modbus/internal/mbap.h"
#include "connect/modbus/modbus_definition.h"
#include "connect/modbus/poll_plan.h"

typedef struct _modbus modbus_t;  // NOLINT: libmodbus's own declaration

namespace zhizao::connect::modbus {

// How a request ended. A well-formed exception reply leaves the connection usable; any other
// failure (timeout, reset, malformed or mismatched reply) leaves it in an unknown state.
struct RequestOutcome {
  Status status;
  uint8_t exception = 0;  // the peer's exception code (1 to 11) when it answered with one
  bool timed_out = false;

  bool ok() const { return status.ok(); }
  bool connection_broken() const { return !status.ok() && exception == 0; }
};

class ModbusSession {
 public:
  ModbusSession(std::string host, uint16_t port, int unit_id, std::chrono::milliseconds timeout);
  ~ModbusSession();
  ModbusSession(const ModbusSession&) = delete;
  ModbusSession& operator=(const ModbusSession&) = delete;

  // Resolves the host (not interruptible: prefer an address to a name) and connects within the
  // timeout. Unavailable with the reason when it cannot.
  Status Connect();
  // Idempotent.
  void Close();
  bool connected() const { return socket_ >= 0; }

  // Thread-safe. Until Reset(), Connect fails and a blocked call returns.
  void Interrupt();
  void Reset() { interrupted_.store(false); }
  // Thread-safe. Whether a request that failed just now failed because of Interrupt().
  bool interrupted() const { return interrupted_.load(); }

  // REQUIRES: connected(); registers.size() is the count to read (1 to 125).
  RequestOutcome ReadRegisters(RegisterKind kind, uint16_t address, std::span<uint16_t> registers);
  // REQUIRES: connected(); bits.size() is the count to read (1 to 2000); one byte per bit, 0 or 1.
  RequestOutcome ReadBits(RegisterKind kind, uint16_t address, std::span<uint8_t> bits);
  // FC6 for one register, FC16 for several. REQUIRES: connected().
  RequestOutcome WriteRegisters(uint16_t address, std::span<const uint16_t> registers);
  // FC5. REQUIRES: connected().
  RequestOutcome WriteCoil(uint16_t address, bool value);

  // Sends the reads `requests` with up to `in_flight` of them unanswered at once, framed here
  // with the session's own transaction ids (libmodbus waits for each reply), and calls
  // on_reply(index, outcome, sent) for each as its reply arrives, in whatever order the device
  // answers, its values unpacked into `registers` or `bits` for the call. Each reply must arrive
  // within the timeout of its request's sending. The first outcome that breaks the connection
  // (a timeout, a frame that is malformed or answers no request in flight) goes to the oldest
  // request in flight and ends the call: the requests unanswered by then get no call. Bytes left
  // once every request is answered break it too (reported on the last request): TCP keeps
  // bytes in order but a frame may lie about its length, and then a reply taken earlier may hold
  // bytes of the next, which is why the caller should trust no value of a call that broke.
  // Returns the outcome that broke the connection, or Ok.
  // REQUIRES: connected(); in_flight >= 1; registers.size() >= kMaxReadRegisters and
  // bits.size() >= kMaxReadBits.
  using ReplyHandler =
      std::function<void(size_t index, const RequestOutcome& outcome, std::chrono::steady_clock::time_point sent)>;
  RequestOutcome ReadPipelined(std::span<const ReadRequest> requests, size_t in_flight, std::span<uint16_t> registers,
                               std::span<uint8_t> bits, const ReplyHandler& on_reply);

 private:
  Result<int> OpenSocket();
  RequestOutcome Outcome(int rc, int expected, const char* what, uint16_t address);
  void PublishSocket(int fd);
  Status SendFrame(std::span<const uint8_t> frame, std::chrono::steady_clock::time_point deadline);
  // The next whole frame from the socket, valid until the next call; Unavailable (timed_out set
  // in *timed_out) when it has not arrived by `deadline`, Corruption for a lying header.
  Result<std::span<const uint8_t>> ReceiveFrame(std::chrono::steady_clock::time_point deadline, bool* timed_out);

  const std::string host_;
  const uint16_t port_;
  const uint8_t unit_id_;
  const std::chrono::milliseconds timeout_;
  modbus_t* ctx_ = nullptr;
  // Pipelined reads only: the next transaction id, and bytes received past the last frame
  // (cleared at every connect, so that nothing of an earlier connection is taken for a reply).
  uint16_t next_transaction_id_ = 1;
  std::vector<uint8_t> received_;
  std::vector<uint8_t> frame_;
  int socket_ = -1;  // owned by ctx_ while connected
  std::atomic<bool> interrupted_{false};
  std::mutex interrupt_mu_;
  int interruptible_socket_ = -1;  // GUARDED_BY(interrupt_mu_): socket_, as Interrupt() may shut it down
};

// The OPC UA-style quality of tags whose read failed this way (docs/connectors/modbus.md).
uint32_t QualityOf(const RequestOutcome& outcome);

}  // namespace zhizao::connect::modbus
