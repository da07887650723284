#include "analytics/eval/nab/nab_corpus.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace zhizao::analytics::eval::nab {
namespace {

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Number(std::string_view s, size_t at, size_t len, int64_t& out) {
  if (at + len > s.size()) return false;
  const auto r = std::from_chars(s.data() + at, s.data() + at + len, out);
  return r.ec == std::errc() && r.ptr == s.data() + at + len;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status ParseCsv(const std::string& text, const std::string& path, NabFile& file) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  size_t row = 1;
  while (std::getline(in, line)) {
    ++row;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto comma = line.find(',');
    if (comma == std::string::npos) return Status::Corruption(path + ":" + std::to_string(row) + ": no comma");
    auto ts = ParseNabTimestamp(std::string_view(line).substr(0, comma));
    if (!ts.ok()) return ts.status().WithContext(path + ":" + std::to_string(row));
    double v = 0;
    const char* begin = line.data() + comma + 1;
    const auto r = std::from_chars(begin, line.data() + line.size(), v);
    if (r.ec != std::errc()) return Status::Corruption(path + ":" + std::to_string(row) + ": bad value");
    file.ts_ns.push_back(*ts);
    file.values.push_back(v);
  }
  return Status::Ok();
}

Status AddWindows(const nlohmann::json& list, NabFile& file) {
  for (const auto& w : list) {
    if (!w.is_array() || w.size() != 2 || !w[0].is_string() || !w[1].is_string())
      return Status::Corruption("window of " + file.name + " is not [start, end]");
    auto start = ParseNabTimestamp(w[0].get<std::string>());
    auto end = ParseNabTimestamp(w[1].get<std::string>());
    if (!start.ok() || !end.ok()) return Status::Corruption("bad window timestamp in " + file.name);
    const auto& ts = file.ts_ns;
    const auto lo = std::lower_bound(ts.begin(), ts.end(), *start);
    const auto hi = std::upper_bound(ts.begin(), ts.end(), *end);
    if (lo >= hi) continue;  // a window with no rows cannot be scored
    file.windows.push_back({static_cast<size_t>(lo - ts.begin()), static_cast<size_t>(hi - ts.begin()) - 1});
  }
  std::sort(file.windows.begin(), file.windows.end(),
            [](const NabWindow& a, const NabWindow& b) { return a.first < b.first; });
  return Status::Ok();
}

}  // namespace

Result<int64_t> ParseNabTimestamp(std::string_view t) {
  int64_t y, mo, d, h, mi, s;
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' || t[16] != ':' ||
      !Number(t, 0, 4, y) || !Number(t, 5, 2, mo) || !Number(t, 8, 2, d) || !Number(t, 11, 2, h) ||
      !Number(t, 14, 2, mi) || !Number(t, 17, 2, s) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return Status::Corruption("cannot parse timestamp '" + std::string(t) + "'");
  int64_t frac_ns = 0;
  if (t.size() > 19) {
    if (t[19] != '.' || t.size() > 29) return Status::Corruption("cannot parse timestamp '" + std::string(t) + "'");
    int64_t frac = 0;
    const size_t digits = t.size() - 20;
    if (digits > 0 && !Number(t, 20, digits, frac)) return Status::Corruption("bad fraction in '" + std::string(t) + "'");
    frac_ns = frac;
    for (size_t i = digits; i < 9; ++i) frac_ns *= 10;
  }
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60 * 1'000'000'000LL + s * 1'000'000'000LL + frac_ns;
}

Result<std::vector<NabFile>> LoadNabCorpus(const std::string& dir) {
  ZZ_ASSIGN_OR_RETURN(std::string labels_text, ReadFile(dir + "/labels/combined_windows.json"));
  const auto labels = nlohmann::json::parse(labels_text, nullptr, /*allow_exceptions=*/false);
  if (!labels.is_object()) return Status::Corruption("cannot parse " + dir + "/labels/combined_windows.json");
  std::vector<NabFile> files;
  for (const auto& [name, windows] : labels.items()) {
    NabFile file;
    file.name = name;
    const std::string path = dir + "/data/" + name;
    ZZ_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    ZZ_RETURN_IF_ERROR(ParseCsv(text, path, file));
    ZZ_RETURN_IF_ERROR(AddWindows(windows, file));
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace zhizao::analytics::eval::nab
