// Reads the worked-example CSVs of tests/data/spc: '#' lines are comments, the first other
// line is the header, every field is a number. Test-only; the files are ours, not outside input.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace zhizao::analytics::spc::testing {

using Row = std::map<std::string, double>;

inline std::vector<Row> ReadCsv(const std::string& name) {
  std::ifstream in(std::string(ZZ_SPC_TEST_DATA) + "/" + name);
  std::vector<Row> rows;
  std::vector<std::string> header;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    std::string field;
    std::vector<std::string> cells;
    while (std::getline(fields, field, ',')) cells.push_back(field);
    if (header.empty()) {
      header = cells;
      continue;
    }
    Row row;
    for (std::size_t i = 0; i < cells.size() && i < header.size(); ++i) row[header[i]] = std::stod(cells[i]);
    rows.push_back(row);
  }
  return rows;
}

inline std::vector<double> Column(const std::vector<Row>& rows, const std::string& name) {
  std::vector<double> out;
  for (const auto& r : rows) out.push_back(r.at(name));
  return out;
}

}  // namespace zhizao::analytics::spc::testing
