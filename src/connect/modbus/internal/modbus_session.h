// One Modbus TCP connection through libmodbus, whose types stay inside this file pair.
//
// Not thread-safe: owned by the connector's thread, except Interrupt(), which any thread may call
// to make a blocked Connect or request fail at once (Stop() uses it, so that it never waits out a
// response timeout).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>

#include "common/status.h"
#include "connect/modbus/modbus_definition.h"

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

 private:
  Result<int> OpenSocket();
  RequestOutcome Outcome(int rc, int expected, const char* what, uint16_t address);
  void PublishSocket(int fd);

  const std::string host_;
  const uint16_t port_;
  const std::chrono::milliseconds timeout_;
  modbus_t* ctx_ = nullptr;
  int socket_ = -1;  // owned by ctx_ while connected
  std::atomic<bool> interrupted_{false};
  std::mutex interrupt_mu_;
  int interruptible_socket_ = -1;  // GUARDED_BY(interrupt_mu_): socket_, as Interrupt() may shut it down
};

// The OPC UA-style quality of tags whose read failed this way (docs/connectors/modbus.md).
uint32_t QualityOf(const RequestOutcome& outcome);

}  // namespace zhizao::connect::modbus
