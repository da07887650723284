// `zhizao query`: InfluxQL to a server's /query, the answer printed as a table, CSV or JSON.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "app/client_common.h"
#include "app/json_member.h"
#include "app/commands.h"
#include "connect/csv/csv_writer.h"

namespace zhizao::app {
namespace {

using json = nlohmann::json;

// A value as the influx shell prints it: strings bare, null as nothing.
std::string Cell(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// "k=v<separator>k2=v2", in the server's order (sorted by key).
std::string TagText(const json& series, std::string_view separator) {
  std::string out;
  if (!series.contains("tags")) return out;
  for (const auto& [key, value] : series["tags"].items()) {
    if (!out.empty()) out += separator;
    out += key + "=" + Cell(value);
  }
  return out;
}

std::vector<std::vector<std::string>> Rows(const json& series) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({});
  for (const json& column : series["columns"]) rows.back().push_back(Cell(column));
  for (const json& values : Member(series, "values")) {
    rows.emplace_back();
    for (const json& value : values) rows.back().push_back(Cell(value));
  }
  return rows;
}

// One block as the influx shell prints it: name, tags, then columns padded to their widest.
void PrintTable(const json& series, std::string& out) {
  if (series.contains("name")) out += "name: " + series["name"].get<std::string>() + "\n";
  if (series.contains("tags")) out += "tags: " + TagText(series, ", ") + "\n";
  std::vector<std::vector<std::string>> rows = Rows(series);
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  rows.insert(rows.begin() + 1, std::vector<std::string>());
  for (size_t i = 0; i < widths.size(); ++i) rows[1].push_back(std::string(rows[0][i].size(), '-'));
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - std::min(widths[i], row[i].size()) + 1, ' ');
    }
    out += line + "\n";
  }
  out += "\n";
}

// name,tags,<columns>; the header again whenever the columns change.
void PrintCsv(const json& series, std::vector<std::string>& last_header, std::string& out) {
  std::vector<std::vector<std::string>> rows = Rows(series);
  std::vector<std::string> header = {"name", "tags"};
  header.insert(header.end(), rows[0].begin(), rows[0].end());
  if (header != last_header) connect::csv::AppendCsvRecord(header, &out);
  last_header = header;
  std::string name = series.value("name", "");
  std::string tags = TagText(series, ",");
  for (size_t r = 1; r < rows.size(); ++r) {
    rows[r].insert(rows[r].begin(), {name, tags});
    connect::csv::AppendCsvRecord(rows[r], &out);
  }
}

// Prints the results in `format`; statement errors go to stderr. Returns the exit code.
int PrintResults(const json& doc, const std::string& format) {
  int code = kExitOk;
  std::string out;
  std::vector<std::string> last_header;
  for (const json& result : Member(doc, "results")) {
    if (result.contains("error")) {
      std::fprintf(stderr, "zhizao: query: statement %d: %s\n", result.value("statement_id", 0),
                   Cell(result["error"]).c_str());
      code = kExitFailure;
      continue;
    }
    for (const json& series : Member(result, "series")) {
      if (format == "table") PrintTable(series, out);
      if (format == "csv") PrintCsv(series, last_header, out);
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return code;
}

HttpRequestSpec QueryRequest(const QueryFlags& flags, const std::string& text) {
  std::string form = "q=" + UrlEncode(text);
  if (!flags.db.empty()) form += "&db=" + UrlEncode(flags.db);
  if (!flags.epoch.empty()) form += "&epoch=" + UrlEncode(flags.epoch);
  return {.method = "POST", .target = "/query", .body = std::move(form),
          .content_type = "application/x-www-form-urlencoded"};
}

}  // namespace

int RunQuery(const QueryFlags& flags) {
  Result<std::unique_ptr<HttpClient>> client = OpenClient(flags.connection);
  if (!client.ok()) return Report("query", client.status(), kExitUsage);
  std::string text = flags.query;
  if (text == "-") {
    Result<std::string> read = ReadInput("-");
    if (!read.ok()) return Report("query", read.status(), kExitUsage);
    text = std::move(*read);
  }
  Result<HttpReply> reply = (*client)->Send(QueryRequest(flags, text));
  if (!reply.ok()) return Report("query", reply.status(), kExitFailure);
  Status answered = CheckReply(*reply, (*client)->url());
  if (!answered.ok()) return Report("query", answered, kExitFailure);
  json doc = json::parse(reply->body, nullptr, false);
  if (doc.is_discarded()) return Report("query", Status::Internal("the server's answer is not JSON"), kExitFailure);
  if (flags.format != "json") return PrintResults(doc, flags.format);
  std::fwrite(reply->body.data(), 1, reply->body.size(), stdout);
  if (!reply->body.ends_with('\n')) std::fputc('\n', stdout);
  // The answer goes out as is; its statement errors are also told on stderr, for the exit code.
  return PrintResults(doc, "none");
}

}  // namespace zhizao::app
