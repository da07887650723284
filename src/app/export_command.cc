// `zhizao export`: the raw samples of the tags matching a glob, as CSV, line protocol or JSON.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "app/client_common.h"
#include "app/commands.h"
#include "app/export_source.h"
#include "common/time_format.h"
#include "connect/csv/csv_writer.h"
#include "connect/lineproto/line_writer.h"

namespace zhizao::app {
namespace {

namespace lp = connect::lineproto;

std::string ValueText(const SampleValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) return v;
        else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else return fmt::format("{}", v);  // the shortest text that reads back the same
      },
      value);
}

void AppendCsv(const ExportTag& tag, std::span<const Sample> samples, std::string& out) {
  for (const Sample& s : samples) {
    out += FormatRfc3339(s.ts_ns) + ",";
    connect::csv::AppendCsvCell(tag.path, &out);
    out += ',';
    connect::csv::AppendCsvCell(ValueText(s.value), &out);
    out += '\n';
  }
}

lp::FieldValue FieldValueOf(const SampleValue& value) {
  return std::visit(
      [](const auto& v) -> lp::FieldValue {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) return std::string_view(v);
        else return v;
      },
      value);
}

void AppendLp(const ExportTag& tag, std::span<const Sample> samples, std::string& out) {
  std::vector<lp::Tag> tags;
  for (const auto& [key, value] : tag.name.tags) tags.push_back({key, value});
  for (const Sample& s : samples) {
    lp::Field field{.key = tag.name.field, .value = FieldValueOf(s.value)};
    lp::ParsedLine line{.measurement = tag.name.measurement, .tags = tags, .fields = {&field, 1},
                        .series_key = tag.name.series_key, .ts_ns = s.ts_ns};
    lp::AppendLine(line, &out);
  }
}

void AppendJson(std::span<const Sample> samples, bool& first, std::string& out) {
  for (const Sample& s : samples) {
    nlohmann::json row = nlohmann::json::array({FormatRfc3339(s.ts_ns)});
    std::visit([&row](const auto& v) { row.push_back(v); }, s.value);
    out += first ? "\n" : ",\n";
    out += row.dump();
    first = false;
  }
}

std::string JsonTagHeader(const ExportTag& tag) {
  nlohmann::ordered_json tags = nlohmann::ordered_json::object();
  for (const auto& [key, value] : tag.name.tags) tags[key] = value;
  nlohmann::ordered_json head = {{"tag", tag.path},
                                 {"data_type", tag.data_type},
                                 {"database", tag.name.database},
                                 {"measurement", tag.name.measurement},
                                 {"tags", tags},
                                 {"field", tag.name.field}};
  std::string text = head.dump();
  text.pop_back();  // the closing brace: "values" follows
  return text + ",\"values\":[";
}

// Writes every tag's samples to `out` in `format`, a page at a time.
Status Export(HttpClient& client, const ExportFlags& flags, const std::vector<ExportTag>& tags, int64_t from_ns,
              int64_t to_ns, std::FILE* out) {
  std::string buffer = flags.format == "csv" ? "time,tag,value\n" : flags.format == "json" ? "{\"series\":[" : "";
  for (size_t i = 0; i < tags.size(); ++i) {
    const ExportTag& tag = tags[i];
    if (flags.format == "json") buffer += (i == 0 ? "\n" : ",\n") + JsonTagHeader(tag);
    bool first = true;
    ZZ_RETURN_IF_ERROR(ReadSamples(client, tag, from_ns, to_ns, [&](std::span<const Sample> samples) {
      if (flags.format == "csv") AppendCsv(tag, samples, buffer);
      if (flags.format == "lp") AppendLp(tag, samples, buffer);
      if (flags.format == "json") AppendJson(samples, first, buffer);
      bool written = std::fwrite(buffer.data(), 1, buffer.size(), out) == buffer.size();
      buffer.clear();
      return written ? Status::Ok() : Status::IOError("cannot write " + flags.out + ": " + std::strerror(errno));
    }));
    if (flags.format == "json") buffer += "]}";
  }
  if (flags.format == "json") buffer += "\n]}\n";
  if (std::fwrite(buffer.data(), 1, buffer.size(), out) != buffer.size() || std::fflush(out) != 0) {
    return Status::IOError("cannot write " + flags.out + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

int RunExport(const ExportFlags& flags) {
  Result<std::unique_ptr<HttpClient>> client = OpenClient(flags.connection);
  if (!client.ok()) return Report("export", client.status(), kExitUsage);
  Result<int64_t> from = ParseRfc3339(flags.from);
  if (!from.ok()) return Report("export", from.status().WithContext("--from"), kExitUsage);
  Result<int64_t> to = ParseRfc3339(flags.to);
  if (!to.ok()) return Report("export", to.status().WithContext("--to"), kExitUsage);
  Result<std::vector<ExportTag>> tags = ListExportTags(**client, flags.tags);
  if (!tags.ok()) return Report("export", tags.status(), kExitFailure);
  if (tags->empty()) return Report("export", Status::NotFound("no tag matches " + flags.tags), kExitFailure);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (flags.out != "-") {
    file.reset(std::fopen(flags.out.c_str(), "w"));
    if (!file) {
      return Report("export", Status::IOError("cannot write " + flags.out + ": " + std::strerror(errno)), kExitUsage);
    }
  }
  Status exported = Export(**client, flags, *tags, *from, *to, file ? file.get() : stdout);
  if (!exported.ok()) return Report("export", exported, kExitFailure);
  return kExitOk;
}

}  // namespace zhizao::app
