// A Modbus TCP server that misbehaves on purpose, inside the test process: no real peer sends
// wrong transaction ids, lying lengths or garbage on demand, so this one plays the broken device.
// It answers read requests (FC1 to FC4) on 127.0.0.1, one connection at a time. Correct replies
// hold 0x1234 + the register's address in every register, and alternate bits.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace zhizao::connect::modbus {

enum class Misbehaviour {
  kNone,                  // a correct reply
  kWrongTransactionId,    // a correct reply to another transaction
  kWrongByteCount,        // one register fewer than asked, consistently framed
  kAbsurdLength,          // MBAP length 0xFFFF and a byte count of 250
  kTruncated,             // the header and half the data, then silence
  kGarbage,               // 64 random bytes
  kException,             // a well-formed exception 04 (server device failure)
  kMismatchedException,   // an exception for another function code
  kSilent,                // accepts, reads, never answers
  kCloseAtOnce,           // accepts and closes
  kReversedPairs,         // correct replies, each pair of requests answered second first
};

class BrokenPeer {
 public:
  explicit BrokenPeer(Misbehaviour misbehaviour);
  ~BrokenPeer();  // stops the server thread
  BrokenPeer(const BrokenPeer&) = delete;
  BrokenPeer& operator=(const BrokenPeer&) = delete;

  int port() const { return port_; }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }

 private:
  void Serve();
  void Converse(int fd);
  void Answer(int fd, const uint8_t* request);

  const Misbehaviour misbehaviour_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace zhizao::connect::modbus
