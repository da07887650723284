#include "common/metrics.h"

#include <cmath>
#include <cstdio>

#include "common/check.h"

namespace zhizao {
namespace {

void AtomicAdd(std::atomic<double>& target, double delta) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
  }
}

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// Renders {a="1",b="2"} with an optional extra label (le for buckets).
std::string RenderLabels(const Labels& labels, const char* extra_key = nullptr, const std::string& extra = "") {
  if (labels.empty() && extra_key == nullptr) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k + "=\"" + EscapeLabelValue(v) + "\"";
  }
  if (extra_key != nullptr) {
    if (!first) out += ',';
    out += std::string(extra_key) + "=\"" + extra + "\"";
  }
  return out + "}";
}

const char* TypeName(int type) {
  static const char* names[] = {"counter", "gauge", "histogram"};
  return names[type];
}

}  // namespace

void Gauge::Add(double delta) { AtomicAdd(value_, delta); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
}

std::vector<double> LatencyBuckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
          0.025,   0.05,   0.1,     0.25,   0.5,   1,      2.5,    10};
}

MetricsRegistry::Series& MetricsRegistry::FindOrAddLocked(const std::string& name, Type type,
                                                          const std::string& help, const Labels& labels) {
  auto [it, inserted] = families_.try_emplace(name, Family{type, help, {}});
  ZZ_CHECK(it->second.type == type, "a metric name is registered with two types");
  for (auto& series : it->second.series) {
    if (series->labels == labels) return *series;
  }
  auto series = std::make_unique<Series>();
  series->labels = labels;
  it->second.series.push_back(std::move(series));
  return *it->second.series.back();
}

Counter& MetricsRegistry::GetCounter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Series& s = FindOrAddLocked(name, Type::kCounter, help, labels);
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& MetricsRegistry::GetGauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Series& s = FindOrAddLocked(name, Type::kGauge, help, labels);
  if (!s.gauge && !s.callback) s.gauge = std::make_unique<Gauge>();
  ZZ_CHECK(s.gauge != nullptr, "a callback gauge cannot also be set");
  return *s.gauge;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const std::vector<double>& upper_bounds, const Labels& labels) {
  std::lock_guard lock(mu_);
  Series& s = FindOrAddLocked(name, Type::kHistogram, help, labels);
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(upper_bounds);
  return *s.histogram;
}

void MetricsRegistry::AddCallbackGauge(const std::string& name, const std::string& help,
                                       std::function<double()> read, const Labels& labels) {
  std::lock_guard lock(mu_);
  Series& s = FindOrAddLocked(name, Type::kGauge, help, labels);
  s.gauge.reset();
  s.callback = std::move(read);
}

std::string MetricsRegistry::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " " + family.help + "\n";
    out += "# TYPE " + name + " " + TypeName(static_cast<int>(family.type)) + "\n";
    for (const auto& s : family.series) {
      if (s->counter) out += name + RenderLabels(s->labels) + " " + std::to_string(s->counter->value()) + "\n";
      if (s->gauge) out += name + RenderLabels(s->labels) + " " + FormatNumber(s->gauge->value()) + "\n";
      if (s->callback) out += name + RenderLabels(s->labels) + " " + FormatNumber(s->callback()) + "\n";
      if (!s->histogram) continue;
      const Histogram& h = *s->histogram;
      uint64_t cumulative = 0;
      for (size_t i = 0; i <= h.upper_bounds().size(); ++i) {
        cumulative += h.bucket_count(i);
        std::string le = i < h.upper_bounds().size() ? FormatNumber(h.upper_bounds()[i]) : "+Inf";
        out += name + "_bucket" + RenderLabels(s->labels, "le", le) + " " + std::to_string(cumulative) + "\n";
      }
      out += name + "_sum" + RenderLabels(s->labels) + " " + FormatNumber(h.sum()) + "\n";
      out += name + "_count" + RenderLabels(s->labels) + " " + std::to_string(h.count()) + "\n";
    }
  }
  return out;
}

MetricsRegistry& MetricsRegistry::Default() {
  static MetricsRegistry registry;
  return registry;
}

}  // namespace zhizao
