// The poll loop of ModbusConnector: groups on absolute deadlines, merged reads, samples.
#include "connect/modbus/modbus_connector.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "common/clock.h"

namespace zhizao::connect::modbus {

using SteadyClock = std::chrono::steady_clock;

// One group's schedule: slot k starts at anchor + k * period, whatever the earlier polls took.
struct ModbusConnector::GroupClock {
  SteadyClock::time_point anchor;
  SteadyClock::time_point next;
  SteadyClock::time_point last_start;
  bool started = false;
  int64_t slot = 0;
};

namespace {

double Milliseconds(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

// Returns Ok when stopped, otherwise why the connection broke.
Status ModbusConnector::PollWhileConnected() {
  const auto now = SteadyClock::now();
  std::vector<GroupClock> clocks(plans_.size(), GroupClock{now, now, now, false, 0});
  if (clocks.empty()) return Status::Internal("no poll group has tags");
  for (;;) {
    size_t due = 0;
    for (size_t g = 1; g < clocks.size(); ++g) {
      if (clocks[g].next < clocks[due].next) due = g;
    }
    {
      std::unique_lock lock(mu_);
      wake_.wait_until(lock, clocks[due].next, [this] { return stop_ || !writes_.empty(); });
      if (stop_) return Status::Ok();
    }
    ZZ_RETURN_IF_ERROR(RunQueuedWrites());
    if (SteadyClock::now() < clocks[due].next) continue;  // woken for a write
    ZZ_RETURN_IF_ERROR(PollGroup(due, clocks[due]));
  }
}

Status ModbusConnector::PollGroup(size_t group, GroupClock& clock) {
  const PollGroupPlan& plan = plans_[group];
  const auto start = SteadyClock::now();
  if (clock.started) stats().RecordJitter(std::fabs(Milliseconds(start - clock.last_start - plan.period)));
  clock.started = true;
  clock.last_start = start;

  batch_.Clear();
  bool interrupted = false;
  Status broken = definition_.max_requests_in_flight > 1 ? ReadPipelined(group, &interrupted)
                                                         : ReadInTurn(group, &interrupted);
  Deliver(batch_);
  if (interrupted) return Status::Ok();

  const auto done = SteadyClock::now();
  if (done > clock.next + plan.deadline) stats().RecordOverrun();
  do {
    clock.next = clock.anchor + ++clock.slot * plan.period;
    if (clock.next <= done) stats().RecordOverrun();  // a slot skipped
  } while (clock.next <= done);
  return broken;
}

// Counts every failure, but logs only when a request starts or stops failing: a device that
// refuses an address would otherwise fill the log at the poll rate.
void ModbusConnector::NoteOutcome(const ReadRequest& request, const RequestOutcome& outcome, char& failing) {
  if (!outcome.ok()) stats().RecordError(outcome.status.message());
  if (outcome.ok() == (failing == 0)) return;
  if (outcome.ok()) {
    spdlog::info("modbus connector {}: {}{} readable again", name(), RegisterKindPrefix(request.kind), request.address);
  } else {
    spdlog::warn("modbus connector {}: {}", name(), outcome.status.message());
  }
  failing = outcome.ok() ? 0 : 1;
}

Status ModbusConnector::ReadInTurn(size_t group, bool* interrupted) {
  const PollGroupPlan& plan = plans_[group];
  for (size_t r = 0; r < plan.requests.size(); ++r) {
    const ReadRequest& request = plan.requests[r];
    const int64_t sent_ns = SystemClock::Instance().NowNs();
    const auto sent = SteadyClock::now();
    RequestOutcome outcome =
        IsBitKind(request.kind)
            ? session_.ReadBits(request.kind, request.address, std::span(bits_.data(), request.count))
            : session_.ReadRegisters(request.kind, request.address, std::span(registers_.data(), request.count));
    if (!outcome.ok() && session_.interrupted()) {
      *interrupted = true;
      return Status::Ok();
    }
    Finish(group, r, sent_ns, SteadyClock::now() - sent, outcome);
    if (outcome.connection_broken()) return outcome.status;
  }
  return Status::Ok();
}

Status ModbusConnector::ReadPipelined(size_t group, bool* interrupted) {
  const PollGroupPlan& plan = plans_[group];
  // Samples are stamped with their request's sending, as in turn, from one reading of each clock.
  const int64_t started_ns = SystemClock::Instance().NowNs();
  const auto started = SteadyClock::now();
  auto stamp = [&](SteadyClock::time_point sent) {
    return started_ns + std::chrono::duration_cast<std::chrono::nanoseconds>(sent - started).count();
  };
  const size_t samples_before = batch_.size();
  answered_.clear();
  size_t broken_request = 0;
  SteadyClock::time_point broken_sent;
  RequestOutcome broken = session_.ReadPipelined(
      plan.requests, static_cast<size_t>(definition_.max_requests_in_flight), registers_, bits_,
      [&](size_t r, const RequestOutcome& outcome, SteadyClock::time_point sent) {
        if (outcome.connection_broken()) {
          broken_request = r;
          broken_sent = sent;
          return;
        }
        answered_.emplace_back(r, outcome);
        Finish(group, r, stamp(sent), SteadyClock::now() - sent, outcome, /*keep=*/false);
      });
  if (broken.ok()) {
    size_t point = samples_before;
    for (const auto& [r, outcome] : answered_) {
      Keep(group, r, outcome, point);
      point += plan.requests[r].slots.size();
    }
    return Status::Ok();
  }
  // A poll that broke keeps none of its values (the session says why a reply taken before the
  // break may hold another's bytes); the tags are marked bad when the connection is dropped.
  batch_.points.resize(samples_before);
  if (session_.interrupted()) {
    *interrupted = true;
    return Status::Ok();
  }
  Finish(group, broken_request, stamp(broken_sent), SteadyClock::now() - broken_sent, broken);
  return broken.status;
}

void ModbusConnector::Finish(size_t group, size_t r, int64_t sent_ns, SteadyClock::duration latency,
                             const RequestOutcome& outcome, bool keep) {
  const ReadRequest& request = plans_[group].requests[r];
  const size_t first_point = batch_.size();
  if (outcome.ok() || outcome.exception != 0) {
    stats().RecordRead(Milliseconds(latency));
    backoff_.Reset();  // the peer answers: a later loss starts again from the shortest delay
  }
  if (outcome.ok()) {
    AddSamples(request, sent_ns, batch_);
  } else {
    AddBadSamples(request, sent_ns, QualityOf(outcome), batch_);
  }
  if (keep) Keep(group, r, outcome, first_point);
}

void ModbusConnector::AddSamples(const ReadRequest& request, int64_t ts_ns, Batch& batch) {
  for (const TagSlot& slot : request.slots) {
    const ModbusTagDefinition& tag = definition_.tags[slot.tag_index];
    const Value value =
        IsBitKind(request.kind)
            ? DecodeBit(bits_[slot.offset] != 0)
            : DecodeSample(std::span<const uint16_t>(registers_.data() + slot.offset, static_cast<size_t>(tag.width())),
                           tag.codec);
    batch.points.push_back({tag_ids_[slot.tag_index], status_codes::kGood, ts_ns, value});
  }
}

void ModbusConnector::AddBadSamples(const ReadRequest& request, int64_t ts_ns, uint32_t quality, Batch& batch) {
  for (const TagSlot& slot : request.slots) {
    batch.points.push_back({tag_ids_[slot.tag_index], quality, ts_ns, last_good_[slot.tag_index]});
  }
}

void ModbusConnector::Keep(size_t group, size_t r, const RequestOutcome& outcome, size_t first_point) {
  const ReadRequest& request = plans_[group].requests[r];
  NoteOutcome(request, outcome, request_failing_[group][r]);
  for (size_t i = 0; i < request.slots.size(); ++i) {
    const Point& point = batch_.points[first_point + i];
    const size_t tag = request.slots[i].tag_index;
    last_status_[tag] = point.status;
    if (point.status == status_codes::kGood) last_good_[tag] = point.value;
  }
}

}  // namespace zhizao::connect::modbus
