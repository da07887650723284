#include "connect/modbus/poll_plan.h"

#include <algorithm>

namespace zhizao::connect::modbus {
namespace {

// The tags of one table in one group, merged greedily in address order: a tag joins the open
// request when the request, grown to cover it, stays within the limit and the hole before the
// tag is at most `gap` addresses.
void MergeKind(const ModbusDefinition& definition, std::vector<size_t> tags, int limit, PollGroupPlan& plan) {
  std::stable_sort(tags.begin(), tags.end(), [&](size_t a, size_t b) {
    return definition.tags[a].address < definition.tags[b].address;
  });
  ReadRequest* open = nullptr;
  int open_end = 0;  // one past the last address the open request covers
  for (size_t index : tags) {
    const ModbusTagDefinition& tag = definition.tags[index];
    const int begin = tag.address;
    const int end = begin + tag.width();
    const bool joins = open != nullptr && begin <= open_end + definition.merge_gap &&
                       std::max(open_end, end) - open->address <= limit;
    if (!joins) {
      plan.requests.push_back({tag.kind, tag.address, 0, {}});
      open = &plan.requests.back();
      open_end = begin;
    }
    open_end = std::max(open_end, end);
    open->count = static_cast<uint16_t>(open_end - open->address);
    open->slots.push_back({index, static_cast<uint16_t>(begin - open->address)});
  }
}

}  // namespace

std::vector<PollGroupPlan> PlanPolls(const ModbusDefinition& definition) {
  std::vector<PollGroupPlan> plans;
  for (const PollGroupDefinition& group : definition.groups) {
    PollGroupPlan plan{group.period, group.deadline, {}};
    for (RegisterKind kind : {RegisterKind::kCoil, RegisterKind::kDiscreteInput, RegisterKind::kHolding,
                              RegisterKind::kInput}) {
      std::vector<size_t> tags;
      for (size_t i = 0; i < definition.tags.size(); ++i) {
        if (definition.tags[i].kind == kind && definition.tags[i].group == group.name) tags.push_back(i);
      }
      MergeKind(definition, std::move(tags), IsBitKind(kind) ? definition.max_bits : definition.max_registers, plan);
    }
    if (!plan.requests.empty()) plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace zhizao::connect::modbus
