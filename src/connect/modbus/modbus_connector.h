// The Modbus TCP connector (type "modbus", docs/connectors/modbus.md): polls one device's
// holding and input registers, coils and discrete inputs in poll groups, each on its own
// period, and writes holding registers and coils for the WriteGate.
//
// Polls are scheduled on absolute deadlines (start of group + k * period: no drift); each poll's
// latency (request sent to reply) and the jitter of its period (|actual start interval - period|)
// go to the status. A sample's timestamp is the time its request was sent. A Modbus exception
// marks the tags of that request bad with the reason; a timeout or a malformed reply drops the
// connection; on a lost connection every tag not already bad gets one bad sample (its last good
// value) and the connector reconnects with a jittered backoff from 100 ms to 10 s.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/batch.h"
#include "connect/connector.h"
#include "connect/modbus/internal/backoff.h"
#include "connect/modbus/internal/modbus_session.h"
#include "connect/modbus/modbus_definition.h"
#include "connect/modbus/poll_plan.h"
#include "connect/tag_sink.h"

namespace zhizao::connect::modbus {

// Validates the definition (InvalidArgument naming the field) without connecting.
// REQUIRES: `sink` outlives the connector.
Result<std::unique_ptr<Connector>> MakeModbusConnector(const nlohmann::json& definition, TagSink& sink);

// Thread-safe. The connection, its buffers and the per-tag state belong to the connector's thread.
class ModbusConnector final : public Connector {
 public:
  ModbusConnector(ModbusDefinition definition, TagSink& sink);
  ~ModbusConnector() override;

  void Start() override;
  // Returns within about 50 ms even in the middle of a request: the socket is shut down under it.
  void Stop() override;
  std::vector<std::string> TagPaths() const override;

 private:
  friend class ModbusWriteTest;  // calls Write as the WriteGate does

  struct WriteJob;
  struct GroupClock;

  // Encodes the value and has the connector's thread send it between polls. Waits up to the
  // timeout for a poll in flight to end; once sent, up to the timeout for the reply: so at most
  // twice timeout_ms. Unavailable while not connected or when the write could not be sent;
  // FailedPrecondition with the exception when the device refuses it.
  Status Write(std::string_view tag_path, const WriteValue& value) override;

  void Run();
  Status EnsureTags();
  Status PollWhileConnected();
  Status PollGroup(size_t group, GroupClock& clock);
  // Each reads the group's requests into batch_: Ok, or why the connection broke; sets
  // *interrupted when Stop() cut a request short (the device is not at fault then).
  Status ReadInTurn(size_t group, bool* interrupted);
  Status ReadPipelined(size_t group, bool* interrupted);
  // What a request that ended leaves: its latency (from sending to the reply), its samples in
  // batch_ (good, or bad with the reason); with `keep`, also its tags' last quality and good
  // value and a log line when it starts or stops failing (else the caller calls Keep once the
  // samples are to be kept).
  void Finish(size_t group, size_t request, int64_t sent_ns, std::chrono::steady_clock::duration latency,
              const RequestOutcome& outcome, bool keep = true);
  // Takes the quality and good values of a request's samples, batch_.points[first_point...], as
  // its tags' last ones, and logs a change of its outcome.
  void Keep(size_t group, size_t request, const RequestOutcome& outcome, size_t first_point);
  void NoteOutcome(const ReadRequest& request, const RequestOutcome& outcome, char& failing);
  void AddSamples(const ReadRequest& request, int64_t ts_ns, Batch& batch);
  void AddBadSamples(const ReadRequest& request, int64_t ts_ns, uint32_t quality, Batch& batch);
  void MarkDisconnected(const Status& reason);
  void Deliver(Batch& batch);
  Status RunQueuedWrites();
  void SetAcceptingWrites(bool accepting);
  bool SleepUnlessStopped(std::chrono::milliseconds delay);
  bool StopRequested();

  const ModbusDefinition definition_;
  const std::vector<PollGroupPlan> plans_;
  const std::unordered_map<std::string, size_t> tag_index_;  // by path
  TagSink& sink_;

  // Owned by thread_; session_.Interrupt() is the one call other threads make.
  ModbusSession session_;
  Backoff backoff_;
  std::vector<TagId> tag_ids_;
  std::vector<Value> last_good_;      // per tag: what a bad sample carries
  std::vector<uint32_t> last_status_; // per tag: the quality last handed over
  std::vector<std::vector<char>> request_failing_;  // per group and request: to log changes only
  std::vector<uint16_t> registers_;
  std::vector<uint8_t> bits_;
  // A pipelined poll's requests, in the order they were answered, with their outcomes.
  std::vector<std::pair<size_t, RequestOutcome>> answered_;
  Batch batch_;

  std::mutex mu_;
  std::condition_variable wake_;        // stop, or a write queued
  std::condition_variable write_done_;  // a write's phase moved on
  bool stop_ = false;                   // GUARDED_BY(mu_)
  bool accepting_writes_ = false;       // GUARDED_BY(mu_): true while connected
  std::deque<std::shared_ptr<WriteJob>> writes_;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace zhizao::connect::modbus
