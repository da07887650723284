#include "app/export_source.h"

#include <nlohmann/json.hpp>

#include <map>

#include "app/json_member.h"
#include "catalog/series_index.h"
#include "common/time_format.h"
#include "connect/lineproto/line_reader.h"

namespace zhizao::app {
namespace {

using json = nlohmann::json;

// A page of /query answers: small enough to keep the answer's JSON modest.
constexpr int kPageSamples = 10'000;
constexpr int kTagPage = 100'000;  // the server's largest page of GET /api/v1/tags

Result<json> GetJson(HttpClient& client, const std::string& target) {
  ZZ_ASSIGN_OR_RETURN(HttpReply reply, client.Send({.method = "GET", .target = target}));
  ZZ_RETURN_IF_ERROR(CheckReply(reply, client.url()));
  json doc = json::parse(reply.body, nullptr, false);
  if (doc.is_discarded()) return Status::Internal("the answer of " + client.url() + " to " + target + " is not JSON");
  return doc;
}

// The series of the one statement `q`, run in `db` with times in ns.
Result<json> InfluxQl(HttpClient& client, const std::string& db, const std::string& q) {
  ZZ_ASSIGN_OR_RETURN(json doc, GetJson(client, "/query?epoch=ns&db=" + UrlEncode(db) + "&q=" + UrlEncode(q)));
  const json& results = Member(doc, "results");
  if (results.empty()) return json::array();
  const json& result = results[0];
  if (result.contains("error")) return Status::InvalidArgument(q + ": " + result["error"].dump());
  return Member(result, "series");
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// SHOW SERIES prints escaped series keys, as line protocol writes them: read one as a line.
Result<catalog::SeriesName> SeriesOfKey(const std::string& db, const std::string& key) {
  std::string line = key + " f=0";
  connect::lineproto::LineReader reader(line, {});
  if (!reader.Next()) return Status::Internal("cannot read the series key " + key);
  catalog::SeriesName name{.database = db, .measurement = std::string(reader.line().measurement), .series_key = key};
  for (const auto& tag : reader.line().tags) name.tags.emplace_back(tag.key, tag.value);
  return name;
}

// Every (series, field) of `db` by the catalog paths it may have: the one line protocol gives
// it, and for a series without tags the one derived from a path.
Status AddNamesOf(HttpClient& client, const std::string& db, std::map<std::string, catalog::SeriesName>& by_path) {
  ZZ_ASSIGN_OR_RETURN(json field_keys, InfluxQl(client, db, "SHOW FIELD KEYS"));
  std::map<std::string, std::vector<std::string>> fields;
  for (const json& s : field_keys) {
    for (const json& row : Member(s, "values")) {
      if (!row.empty() && row[0].is_string()) fields[s.value("name", "")].push_back(row[0].get<std::string>());
    }
  }
  ZZ_ASSIGN_OR_RETURN(json series, InfluxQl(client, db, "SHOW SERIES"));
  for (const json& s : series) {
    for (const json& row : Member(s, "values")) {
      if (row.empty() || !row[0].is_string()) continue;
      ZZ_ASSIGN_OR_RETURN(catalog::SeriesName name, SeriesOfKey(db, row[0].get<std::string>()));
      for (const std::string& field : fields[name.measurement]) {
        name.field = field;
        Result<std::string> path = catalog::SeriesIndex::CatalogPathFor(name);
        if (path.ok()) by_path.emplace(*path, name);
        if (name.tags.empty()) by_path.emplace(db + "/" + name.measurement + "/" + field, name);
      }
    }
  }
  return Status::Ok();
}

Result<std::vector<ExportTag>> ListTags(HttpClient& client, const std::string& glob) {
  std::vector<ExportTag> tags;
  for (size_t offset = 0;; offset += kTagPage) {
    ZZ_ASSIGN_OR_RETURN(json page, GetJson(client, "/api/v1/tags?path=" + UrlEncode(glob) + "&limit=" +
                                                       std::to_string(kTagPage) + "&offset=" + std::to_string(offset)));
    for (const json& tag : Member(page, "tags")) {
      tags.push_back({.path = tag.value("path", ""), .data_type = tag.value("data_type", "float64")});
    }
    if (Member(page, "tags").size() < kTagPage) return tags;
  }
}

}  // namespace

Result<std::vector<ExportTag>> ListExportTags(HttpClient& client, const std::string& glob) {
  ZZ_ASSIGN_OR_RETURN(std::vector<ExportTag> tags, ListTags(client, glob));
  std::map<std::string, catalog::SeriesName> by_path;
  std::map<std::string, bool> databases_read;
  for (ExportTag& tag : tags) {
    std::string db = tag.path.substr(0, tag.path.find('/'));
    if (!databases_read[db]) ZZ_RETURN_IF_ERROR(AddNamesOf(client, db, by_path));
    databases_read[db] = true;
    auto found = by_path.find(tag.path);
    if (found == by_path.end()) return Status::NotFound("tag " + tag.path + " has no InfluxDB name in database " + db);
    tag.name = found->second;
  }
  return tags;
}

Result<std::map<std::string, ExportTag>> ExportTagsOf(HttpClient& client, const std::string& db) {
  ZZ_ASSIGN_OR_RETURN(std::vector<ExportTag> tags, ListTags(client, db + "/*"));
  std::map<std::string, catalog::SeriesName> names;
  ZZ_RETURN_IF_ERROR(AddNamesOf(client, db, names));
  std::map<std::string, ExportTag> out;
  for (ExportTag& tag : tags) {
    auto found = names.find(tag.path);
    if (found == names.end()) continue;
    tag.name = found->second;
    out.emplace(tag.path, std::move(tag));
  }
  return out;
}

namespace {

Result<SampleValue> ValueOf(const json& v, const std::string& data_type) {
  if (data_type == "bool" && v.is_boolean()) return SampleValue(v.get<bool>());
  if (data_type == "string" && v.is_string()) return SampleValue(v.get<std::string>());
  if (data_type == "int64" && v.is_number_integer()) return SampleValue(v.get<int64_t>());
  // The server writes a whole float as an integer, as InfluxDB does.
  if (data_type == "float64" && v.is_number()) return SampleValue(v.get<double>());
  return Status::Internal("a " + data_type + " tag answered " + v.dump());
}

std::string SelectQuery(const ExportTag& tag, int64_t from_ns, int64_t to_ns) {
  std::string q = "SELECT " + QuoteIdentifier(tag.name.field) + " FROM " + QuoteIdentifier(tag.name.measurement) +
                  " WHERE time >= " + QuoteString(FormatRfc3339(from_ns)) + " AND time < " +
                  QuoteString(FormatRfc3339(to_ns));
  for (const auto& [key, value] : tag.name.tags) q += " AND " + QuoteIdentifier(key) + " = " + QuoteString(value);
  // Grouped by every tag, so that a series whose tags are a superset is told apart.
  return q + " GROUP BY * LIMIT " + std::to_string(kPageSamples);
}

bool SameTags(const json& series, const ExportTag& tag) {
  std::vector<std::pair<std::string, std::string>> tags;
  for (const auto& [key, value] : Member(series, "tags").items()) {
    if (value.is_string() && !value.get<std::string>().empty()) tags.emplace_back(key, value.get<std::string>());
  }
  return tags == tag.name.tags;
}

}  // namespace

Status ReadSamples(HttpClient& client, const ExportTag& tag, int64_t from_ns, int64_t to_ns,
                   const SamplePage& on_page) {
  std::vector<Sample> page;
  for (int64_t cursor = from_ns; cursor < to_ns;) {
    ZZ_ASSIGN_OR_RETURN(json series, InfluxQl(client, tag.name.database, SelectQuery(tag, cursor, to_ns)));
    page.clear();
    size_t rows = 0;
    for (const json& s : series) {
      if (!SameTags(s, tag)) continue;
      for (const json& row : Member(s, "values")) {
        ++rows;
        if (row.size() < 2 || !row[0].is_number_integer() || row[1].is_null()) continue;
        ZZ_ASSIGN_OR_RETURN(SampleValue value, ValueOf(row[1], tag.data_type));
        page.push_back({.ts_ns = row[0].get<int64_t>(), .value = std::move(value)});
      }
    }
    if (!page.empty()) ZZ_RETURN_IF_ERROR(on_page(page));
    if (rows < kPageSamples || page.empty()) return Status::Ok();
    cursor = page.back().ts_ns + 1;
  }
  return Status::Ok();
}

}  // namespace zhizao::app
