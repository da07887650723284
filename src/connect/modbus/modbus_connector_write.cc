// The write path of ModbusConnector: the caller's thread encodes and waits; the connector's
// thread, which owns the connection, sends between polls.
#include "connect/modbus/modbus_connector.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace zhizao::connect::modbus {

struct ModbusConnector::WriteJob {
  enum class Phase { kQueued, kSending, kDone };
  size_t tag_index = 0;
  std::vector<uint16_t> registers;  // for a holding register
  bool bit = false;                 // for a coil
  Phase phase = Phase::kQueued;     // GUARDED_BY(mu_)
  Status result;                    // GUARDED_BY(mu_)
};

Status ModbusConnector::Write(std::string_view tag_path, const WriteValue& value) {
  auto found = tag_index_.find(std::string(tag_path));
  if (found == tag_index_.end()) return Status::NotFound("connector " + name() + " reads no tag " + std::string(tag_path));
  const ModbusTagDefinition& tag = definition_.tags[found->second];
  if (!tag.writable) return Status::PermissionDenied("tag " + tag.path + " is not writable in connector " + name());

  auto job = std::make_shared<WriteJob>();
  job->tag_index = found->second;
  if (IsBitKind(tag.kind)) {
    ZZ_ASSIGN_OR_RETURN(job->bit, EncodeBitWrite(value));
  } else {
    Result<std::vector<uint16_t>> registers = EncodeWrite(value, tag.codec);
    if (!registers.ok()) return registers.status().WithContext("cannot write " + tag.path);
    job->registers = std::move(registers).value();
  }

  std::unique_lock lock(mu_);
  if (!accepting_writes_ || stop_) return Status::Unavailable("connector " + name() + " is not connected");
  writes_.push_back(job);
  wake_.notify_all();
  // A write that never left the queue can still be withdrawn; one on the wire must be awaited.
  if (!write_done_.wait_for(lock, definition_.timeout, [&] { return job->phase != WriteJob::Phase::kQueued; })) {
    writes_.erase(std::find(writes_.begin(), writes_.end(), job));
    return Status::Unavailable("cannot write " + tag.path + ": the connection stayed busy for " +
                               std::to_string(definition_.timeout.count()) + " ms; nothing was sent");
  }
  write_done_.wait(lock, [&] { return job->phase == WriteJob::Phase::kDone; });
  return job->result;
}

// Returns why the connection broke, if a write broke it.
Status ModbusConnector::RunQueuedWrites() {
  for (;;) {
    std::shared_ptr<WriteJob> job;
    {
      std::lock_guard lock(mu_);
      if (writes_.empty()) return Status::Ok();
      job = writes_.front();
      writes_.pop_front();
      job->phase = WriteJob::Phase::kSending;
    }
    write_done_.notify_all();
    const ModbusTagDefinition& tag = definition_.tags[job->tag_index];
    RequestOutcome outcome = IsBitKind(tag.kind) ? session_.WriteCoil(tag.address, job->bit)
                                                 : session_.WriteRegisters(tag.address, job->registers);
    if (outcome.ok()) {
      stats().RecordWrite();
      spdlog::debug("modbus connector {}: wrote {}", name(), tag.path);
    } else {
      stats().RecordError(outcome.status.message());
      spdlog::warn("modbus connector {}: write of {} failed: {}", name(), tag.path, outcome.status.message());
    }
    {
      std::lock_guard lock(mu_);
      job->result = outcome.status;
      job->phase = WriteJob::Phase::kDone;
    }
    write_done_.notify_all();
    if (outcome.connection_broken()) return outcome.status;
  }
}

// While not connected, writes fail at once rather than wait for a connection that may not come.
void ModbusConnector::SetAcceptingWrites(bool accepting) {
  std::lock_guard lock(mu_);
  accepting_writes_ = accepting;
  if (accepting) return;
  for (const std::shared_ptr<WriteJob>& job : writes_) {
    job->result = Status::Unavailable("connector " + name() + " lost its connection before the write was sent");
    job->phase = WriteJob::Phase::kDone;
  }
  writes_.clear();
  write_done_.notify_all();
}

}  // namespace zhizao::connect::modbus
