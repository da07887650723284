#include "connect/sim/simulator.h"

#include <algorithm>

#include "common/check.h"
#include "common/clock.h"
#include "connect/sim/internal/channel_bank.h"
#include "connect/sim/internal/fault_engine.h"
#include "connect/sim/internal/fault_scheduler.h"
#include "connect/sim/internal/plant_unit.h"
#include "connect/sim/internal/sensor_faults.h"

namespace zhizao::connect::sim {
namespace {

constexpr double kTickSeconds = static_cast<double>(Simulator::kTickNs) / kNanosPerSecond;

Status ValidateOptions(const SimOptions& o) {
  if (o.scale < 1 || o.scale > Simulator::kMaxScale) {
    return Status::InvalidArgument("scale must be 1 to " + std::to_string(Simulator::kMaxScale) + ", got " +
                                   std::to_string(o.scale));
  }
  if (o.start_ns < 0) return Status::InvalidArgument("start_ns must not be negative");
  if (!(o.faults_per_day >= 0 && o.faults_per_day <= 1000)) {
    return Status::InvalidArgument("faults_per_day must be 0 to 1000");
  }
  if (o.utc_offset_minutes < -720 || o.utc_offset_minutes > 840) {
    return Status::InvalidArgument("utc_offset_minutes must be -720 to 840");
  }
  ZZ_RETURN_IF_ERROR(catalog::ValidateName(o.enterprise).WithContext("enterprise"));
  return catalog::ValidateName(o.site).WithContext("site");
}

// The float64 measurements that a sensor fault can hit: a setpoint (writable) is a value a person
// or a controller writes, not a sensor reading.
std::vector<uint32_t> SensorChannels(const std::vector<catalog::Tag>& tags, uint32_t first, uint32_t end) {
  std::vector<uint32_t> channels;
  for (uint32_t i = first; i < end; ++i) {
    if (tags[i].data_type == DataType::kFloat64 && !tags[i].writable) channels.push_back(i);
  }
  return channels;
}

}  // namespace

Result<std::unique_ptr<Simulator>> Simulator::Create(const SimOptions& options) {
  ZZ_RETURN_IF_ERROR(ValidateOptions(options).WithContext("cannot create the plant simulator"));
  std::unique_ptr<Simulator> simulator(new Simulator(options));
  simulator->Build();
  return simulator;
}

Simulator::Simulator(const SimOptions& options)
    : options_(options),
      bank_(std::make_unique<ChannelBank>()),
      sensor_faults_(std::make_unique<SensorFaults>(*bank_)),
      now_ns_(options.start_ns),
      next_tick_ns_(options.start_ns + kTickNs) {}

Simulator::~Simulator() = default;

void Simulator::Build() {
  using catalog::AssetLevel;
  PlantBuilder builder(options_.seed, kTickNs / kNanosPerMilli, *bank_);
  const std::string enterprise =
      builder.AddAsset("", AssetLevel::kEnterprise, options_.enterprise, "", "Enterprise", "企业");
  const std::string site =
      builder.AddAsset(enterprise, AssetLevel::kSite, options_.site, "", "Plant (simulated)", "工厂（仿真）");
  const PlantAreas areas{
      builder.AddAsset(site, AssetLevel::kArea, "pumping", "", "Cooling water pumping", "冷却水泵送区"),
      builder.AddAsset(site, AssetLevel::kArea, "machining", "", "Machining", "机加工车间"),
      builder.AddAsset(site, AssetLevel::kArea, "moulding", "", "Injection moulding", "注塑车间"),
      builder.AddAsset(site, AssetLevel::kArea, "utilities", "", "Utilities", "公用工程")};
  for (int i = 0; i < options_.scale; ++i) {
    units_.push_back(std::make_unique<PlantUnit>(builder, areas, i, options_.seed, kTickSeconds));
  }
  assets_ = std::move(builder.assets());
  tags_ = std::move(builder.tags());
  tag_asset_paths_ = std::move(builder.tag_asset_paths());
  fault_engine_ = std::make_unique<FaultEngine>(options_.seed, *sensor_faults_, tags_, tag_asset_paths_, assets_);
  for (int i = 0; i < options_.scale; ++i) {
    PlantUnit& unit = *units_[i];
    fault_engine_->AddTargets(unit.fault_targets());
    schedulers_.push_back(std::make_unique<FaultScheduler>(
        options_.seed, i, options_.faults_per_day, options_.start_ns, unit.fault_targets(),
        SensorChannels(tags_, unit.first_channel(), unit.end_channel())));
  }
  for (const catalog::Tag& tag : tags_) nominal_points_per_second_ += 1000.0 / static_cast<double>(tag.period_ms);
}

void Simulator::BindTagIds(const std::vector<TagId>& ids) {
  ZZ_CHECK(ids.size() == tags_.size(), "BindTagIds needs one id per tag");
  for (size_t i = 0; i < ids.size(); ++i) {
    tags_[i].id = ids[i];
    bank_->at(static_cast<uint32_t>(i)).id = ids[i];
  }
}

void Simulator::AdvanceTo(int64_t until_ns, Batch& out) {
  if (until_ns <= now_ns_) return;
  const double seconds = static_cast<double>(until_ns - now_ns_) / kNanosPerSecond;
  const size_t needed = out.points.size() + static_cast<size_t>(seconds * nominal_points_per_second_ * 1.02) + 64;
  // Growing geometrically keeps many small calls on one batch linear.
  if (needed > out.points.capacity()) out.points.reserve(std::max(needed, 2 * out.points.capacity()));
  for (; next_tick_ns_ <= until_ns; next_tick_ns_ += kTickNs) Tick(next_tick_ns_, out);
  now_ns_ = until_ns;
}

void Simulator::Tick(int64_t t_ns, Batch& out) {
  for (auto& scheduler : schedulers_) scheduler->Tick(t_ns, *fault_engine_);
  fault_engine_->Tick(t_ns);
  const PlantTime time = MakePlantTime(t_ns, options_.utc_offset_minutes);
  for (auto& unit : units_) unit->Step(time);
  bank_->EmitTick(t_ns, *sensor_faults_, out);
}

Result<int64_t> Simulator::InjectFault(const FaultRequest& request) { return fault_engine_->Inject(request, now_ns_); }

const std::vector<Episode>& Simulator::episodes() const { return fault_engine_->episodes(); }

}  // namespace zhizao::connect::sim
