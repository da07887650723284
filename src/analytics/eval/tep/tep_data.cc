#include "analytics/eval/tep/tep_data.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace zhizao::analytics::eval::tep {
namespace {

constexpr size_t kColumns = 52;

RowMatrix Transpose(const RowMatrix& m) {
  RowMatrix t(m.cols, m.rows);
  for (size_t r = 0; r < m.rows; ++r)
    for (size_t c = 0; c < m.cols; ++c) t.at(c, r) = m.at(r, c);
  return t;
}

std::string FileName(int fault, bool test) {
  char name[32];
  std::snprintf(name, sizeof name, "d%02d%s.dat", fault, test ? "_te" : "");
  return name;
}

}  // namespace

Result<RowMatrix> LoadTepFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  RowMatrix m;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    size_t count = 0;
    for (double v; fields >> v; ++count) m.values.push_back(v);
    if (count == 0) continue;
    if (m.cols == 0) m.cols = count;
    if (count != m.cols || !fields.eof())
      return Status::InvalidArgument("cannot read " + path + ": row " + std::to_string(m.rows + 1) + " is malformed");
    ++m.rows;
  }
  if (m.rows == kColumns && m.cols > kColumns) m = Transpose(m);
  if (m.cols != kColumns) return Status::InvalidArgument("cannot read " + path + ": expected 52 variables");
  return m;
}

Result<TepData> LoadTep(const std::string& dir) {
  TepData data;
  ZZ_ASSIGN_OR_RETURN(data.train_normal, LoadTepFile((std::filesystem::path(dir) / "d00.dat").string()));
  data.train_fault.resize(kFaults + 1);
  for (int f = 0; f <= kFaults; ++f) {
    ZZ_ASSIGN_OR_RETURN(RowMatrix test, LoadTepFile((std::filesystem::path(dir) / FileName(f, true)).string()));
    data.test.push_back(std::move(test));
    if (f == 0) continue;
    ZZ_ASSIGN_OR_RETURN(data.train_fault[static_cast<size_t>(f)],
                        LoadTepFile((std::filesystem::path(dir) / FileName(f, false)).string()));
  }
  return data;
}

RowMatrix SelectYinVariables(const RowMatrix& all) {
  RowMatrix out(all.rows, 33);
  for (size_t r = 0; r < all.rows; ++r)
    for (size_t c = 0; c < 33; ++c) out.at(r, c) = all.at(r, c < 22 ? c : c + 19);
  return out;
}

std::vector<std::string> YinVariableNames() {
  std::vector<std::string> names;
  for (int i = 1; i <= 22; ++i) names.push_back("XMEAS(" + std::to_string(i) + ")");
  for (int i = 1; i <= 11; ++i) names.push_back("XMV(" + std::to_string(i) + ")");
  return names;
}

bool InMean(int fault) { return fault >= 1 && fault <= kFaults && fault != 3 && fault != 9 && fault != 15; }

}  // namespace zhizao::analytics::eval::tep
