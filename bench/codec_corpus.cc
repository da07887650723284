#include "codec_corpus.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <string_view>
#include <unordered_map>

namespace zhizao::bench {
namespace {

struct FieldValue {
  DataType type;
  double f64 = 0;
  int64_t i64 = 0;
  std::string_view str;
};

bool ParseInt(std::string_view s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool ParseValue(std::string_view s, FieldValue* v) {
  if (s.empty()) return false;
  if (s.front() == '"') {
    if (s.size() < 2 || s.back() != '"') return false;
    *v = {DataType::kString, 0, 0, s.substr(1, s.size() - 2)};
    return true;
  }
  if (s == "t" || s == "T" || s == "true" || s == "True" || s == "TRUE") return *v = {DataType::kBool, 0, 1, {}}, true;
  if (s == "f" || s == "F" || s == "false" || s == "False" || s == "FALSE") return *v = {DataType::kBool, 0, 0, {}}, true;
  if (s.back() == 'i') {
    v->type = DataType::kInt64;
    return ParseInt(s.substr(0, s.size() - 1), &v->i64);
  }
  // strtod is locale-free for this input and gives the correctly rounded double, as every
  // line-protocol client expects.
  std::string tmp(s);
  char* end = nullptr;
  v->type = DataType::kFloat64;
  v->f64 = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size();
}

class Loader {
 public:
  explicit Loader(const CorpusOptions& options) : options_(options) {}

  // Returns false for a line that does not parse.
  bool AddLine(std::string_view line) {
    size_t sp1 = line.find(' ');
    size_t sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1) return false;
    int64_t ts = 0;
    if (!ParseInt(line.substr(sp2 + 1), &ts)) return false;
    std::string_view key = line.substr(0, sp1);
    std::string_view fields = line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (!fields.empty()) {
      size_t comma = fields.find(',');
      std::string_view kv = fields.substr(0, comma);
      fields = comma == std::string_view::npos ? std::string_view() : fields.substr(comma + 1);
      size_t eq = kv.find('=');
      FieldValue v;
      if (eq == std::string_view::npos || !ParseValue(kv.substr(eq + 1), &v)) return false;
      Add(key, kv.substr(0, eq), ts * options_.ts_scale, v);
    }
    return true;
  }

  bool full() const { return points_ >= options_.max_points; }

  std::vector<CorpusSeries> Take() {
    std::vector<CorpusSeries> out;
    for (auto& [name, s] : series_) out.push_back(std::move(s));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
  }

 private:
  void Add(std::string_view key, std::string_view field, int64_t ts, const FieldValue& v) {
    std::string name = std::string(key) + " " + std::string(field);
    CorpusSeries* s = &series_[name];
    if (s->name.empty()) s->name = name, s->type = v.type;
    if (s->type != v.type) {
      name += "#" + std::string(DataTypeName(v.type));
      s = &series_[name];
      if (s->name.empty()) s->name = name, s->type = v.type;
    }
    s->ts_ns.push_back(ts);
    if (v.type == DataType::kFloat64) s->f64.push_back(v.f64);
    if (v.type == DataType::kInt64 || v.type == DataType::kBool) s->i64.push_back(v.i64);
    if (v.type == DataType::kString) s->str.emplace_back(v.str);
    ++points_;
  }

  CorpusOptions options_;
  uint64_t points_ = 0;
  std::unordered_map<std::string, CorpusSeries> series_;
};

}  // namespace

Result<std::vector<CorpusSeries>> LoadLineProtocol(const std::string& path, const CorpusOptions& options,
                                                   uint64_t* skipped) {
  std::ifstream in(path);
  if (!in) return Status::IOError("cannot open corpus " + path);
  Loader loader(options);
  uint64_t bad = 0;
  std::string line;
  while (!loader.full() && std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!loader.AddLine(line)) ++bad;
  }
  if (skipped != nullptr) *skipped = bad;
  return loader.Take();
}

Result<int64_t> GuessTimestampScale(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return Status::IOError("cannot read corpus " + path);
  int64_t ts = 0;
  if (!ParseInt(std::string_view(line).substr(line.rfind(' ') + 1), &ts)) {
    return Status::InvalidArgument("cannot read a timestamp at the end of the first line of " + path);
  }
  // Present-day epochs: ~1.7e9 s, 1.7e12 ms, 1.7e15 us, 1.7e18 ns.
  if (ts < 100'000'000'000LL) return int64_t{1'000'000'000};
  if (ts < 100'000'000'000'000LL) return int64_t{1'000'000};
  if (ts < 100'000'000'000'000'000LL) return int64_t{1'000};
  return int64_t{1};
}

}  // namespace zhizao::bench
