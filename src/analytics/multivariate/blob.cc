// Model::Save / Model::Load: the versioned, checksummed blob of docs/analytics/multivariate.md.
// Little-endian fixed-width integers and IEEE-754 doubles, written byte by byte so that the
// format does not depend on the host.
#include <bit>
#include <cstring>
#include <string>

#include "analytics/multivariate/internal/model_data.h"
#include "analytics/multivariate/model.h"
#include "common/crc32c.h"

namespace zhizao::analytics::multivariate {
namespace {

constexpr char kMagic[4] = {'Z', 'Z', 'M', 'V'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeader = 4 + 4 + 8;  // magic, version, payload length
constexpr uint32_t kMaxName = 4096;

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Bytes(v, 4); }
  void U64(uint64_t v) { Bytes(v, 8); }
  void F64(double v) { U64(std::bit_cast<uint64_t>(v)); }
  void Str(const std::string& s) { U32(static_cast<uint32_t>(s.size())), out_ += s; }
  std::string& out() { return out_; }

 private:
  void Bytes(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool U8(uint8_t& v) { uint64_t x; return Bytes(x, 1) && (v = static_cast<uint8_t>(x), true); }
  bool U32(uint32_t& v) { uint64_t x; return Bytes(x, 4) && (v = static_cast<uint32_t>(x), true); }
  bool U64(uint64_t& v) { return Bytes(v, 8); }
  bool F64(double& v) { uint64_t x; return Bytes(x, 8) && (v = std::bit_cast<double>(x), true); }
  bool Str(std::string& s) {
    uint32_t n;
    if (!U32(n) || n > kMaxName || n > in_.size()) return false;
    s.assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  size_t left() const { return in_.size(); }

 private:
  bool Bytes(uint64_t& v, size_t n) {
    if (in_.size() < n) return false;
    v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(n);
    return true;
  }
  std::string_view in_;
};

Status Truncated(std::string_view what) { return Status::Corruption("cannot load model: truncated at " + std::string(what)); }

Status ReadVariables(Reader& r, internal::ModelData& d) {
  uint32_t vars;
  if (!r.U32(vars)) return Truncated("variable count");
  if (vars == 0 || vars > r.left() / 20) return Status::Corruption("cannot load model: bad variable count");
  d.names.resize(vars);
  d.mean.resize(vars);
  d.scale.resize(vars);
  for (uint32_t i = 0; i < vars; ++i)
    if (!r.Str(d.names[i]) || !r.F64(d.mean(i)) || !r.F64(d.scale(i))) return Truncated("variable " + std::to_string(i));
  return Status::Ok();
}

Status ReadStatistics(Reader& r, internal::ModelData& d) {
  uint32_t count;
  if (!r.U32(count)) return Truncated("statistic count");
  if (count == 0 || count > 16) return Status::Corruption("cannot load model: bad statistic count");
  const uint64_t dim = static_cast<uint64_t>(d.names.size()) * d.window;
  for (uint32_t j = 0; j < count; ++j) {
    internal::Statistic s;
    uint32_t rows;
    if (!r.Str(s.name) || !r.U32(rows) || !r.F64(s.limit)) return Truncated("statistic " + std::to_string(j));
    if (rows == 0 || dim == 0 || rows > r.left() / 8 / dim) return Truncated("statistic matrix " + std::to_string(j));
    s.a.resize(rows, static_cast<Eigen::Index>(dim));
    for (Eigen::Index a = 0; a < s.a.rows(); ++a)
      for (Eigen::Index b = 0; b < s.a.cols(); ++b) r.F64(s.a(a, b));
    d.stats.push_back(std::move(s));
  }
  return Status::Ok();
}

// Kernel regression only: memory row count, bandwidth, residual scale per variable, memory rows.
Status ReadKernel(Reader& r, internal::ModelData& d) {
  uint32_t rows;
  if (!r.U32(rows) || !r.F64(d.bandwidth)) return Truncated("kernel header");
  const uint64_t vars = d.names.size();
  if (rows == 0 || (static_cast<uint64_t>(rows) + 1) * vars > r.left() / 8) return Truncated("kernel memory");
  d.residual_scale.resize(static_cast<Eigen::Index>(vars));
  for (Eigen::Index i = 0; i < d.residual_scale.size(); ++i) r.F64(d.residual_scale(i));
  d.memory.resize(rows, static_cast<Eigen::Index>(vars));
  for (Eigen::Index a = 0; a < d.memory.rows(); ++a)
    for (Eigen::Index b = 0; b < d.memory.cols(); ++b) r.F64(d.memory(a, b));
  return Status::Ok();
}

Result<internal::ModelData> ReadPayload(std::string_view payload) {
  Reader r(payload);
  internal::ModelData d;
  uint8_t method;
  uint32_t window, components;
  uint64_t rows;
  if (!r.U8(method) || !r.U32(window) || !r.U32(components) || !r.U64(rows) || !r.F64(d.confidence) ||
      !r.F64(d.threshold_scale) || !r.F64(d.ewma))
    return Truncated("header fields");
  if (method < 1 || method > 4) return Status::Corruption("cannot load model: unknown method " + std::to_string(method));
  if (window == 0 || window > 1000) return Status::Corruption("cannot load model: bad window");
  d.method = static_cast<Method>(method);
  d.window = window;
  d.components = components;
  d.training_rows = rows;
  ZZ_RETURN_IF_ERROR(ReadVariables(r, d));
  ZZ_RETURN_IF_ERROR(ReadStatistics(r, d));
  if (d.method == Method::kKernelRegression) ZZ_RETURN_IF_ERROR(ReadKernel(r, d));
  if (r.left() != 0) return Status::Corruption("cannot load model: " + std::to_string(r.left()) + " trailing bytes");
  return d;
}

}  // namespace

std::string Model::Save() const {
  const internal::ModelData& d = *data_;
  Writer p;
  p.U8(static_cast<uint8_t>(d.method));
  p.U32(static_cast<uint32_t>(d.window));
  p.U32(static_cast<uint32_t>(d.components));
  p.U64(d.training_rows);
  p.F64(d.confidence);
  p.F64(d.threshold_scale);
  p.F64(d.ewma);
  p.U32(static_cast<uint32_t>(d.vars()));
  for (size_t i = 0; i < d.vars(); ++i) {
    p.Str(d.names[i]);
    p.F64(d.mean(static_cast<Eigen::Index>(i)));
    p.F64(d.scale(static_cast<Eigen::Index>(i)));
  }
  p.U32(static_cast<uint32_t>(d.stats.size()));
  for (const internal::Statistic& s : d.stats) {
    p.Str(s.name);
    p.U32(static_cast<uint32_t>(s.a.rows()));
    p.F64(s.limit);
    for (Eigen::Index a = 0; a < s.a.rows(); ++a)
      for (Eigen::Index b = 0; b < s.a.cols(); ++b) p.F64(s.a(a, b));
  }
  if (d.method == Method::kKernelRegression) {
    p.U32(static_cast<uint32_t>(d.memory.rows()));
    p.F64(d.bandwidth);
    for (Eigen::Index i = 0; i < d.residual_scale.size(); ++i) p.F64(d.residual_scale(i));
    for (Eigen::Index a = 0; a < d.memory.rows(); ++a)
      for (Eigen::Index b = 0; b < d.memory.cols(); ++b) p.F64(d.memory(a, b));
  }
  Writer out;
  out.out().append(kMagic, 4);
  out.U32(kVersion);
  out.U64(p.out().size());
  out.out() += p.out();
  out.U32(crc32c::Value(out.out()));
  return std::move(out.out());
}

Result<Model> Model::Load(std::string_view blob) {
  if (blob.size() < kHeader + 4) return Status::Corruption("cannot load model: " + std::to_string(blob.size()) + " bytes is too short");
  if (std::memcmp(blob.data(), kMagic, 4) != 0) return Status::InvalidArgument("cannot load model: not a zhizao multivariate model");
  Reader head(blob.substr(4));
  uint32_t version;
  uint64_t length;
  head.U32(version);
  head.U64(length);
  if (version != kVersion)
    return Status::InvalidArgument("cannot load model: format version " + std::to_string(version) + ", this build reads " +
                                   std::to_string(kVersion));
  if (length != blob.size() - kHeader - 4) return Status::Corruption("cannot load model: length field does not match the blob size (truncated?)");
  Reader tail(blob.substr(blob.size() - 4));
  uint32_t crc;
  tail.U32(crc);
  if (crc != crc32c::Value(blob.substr(0, blob.size() - 4))) return Status::Corruption("cannot load model: checksum mismatch");
  ZZ_ASSIGN_OR_RETURN(internal::ModelData d, ReadPayload(blob.substr(kHeader, length)));
  Status valid = internal::Finalize(d);
  if (!valid.ok()) return Status::Corruption("cannot load model: " + valid.message());
  return Model(std::make_shared<internal::ModelData>(std::move(d)));
}

}  // namespace zhizao::analytics::multivariate
