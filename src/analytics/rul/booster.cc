#include "analytics/rul/booster.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <utility>

namespace zhizao::analytics::rul {
namespace {

Status XgbError(std::string_view what) {
  return Status::Internal("cannot " + std::string(what) + ": xgboost: " + XGBGetLastError());
}

// XGBoost logs warnings to stderr by default; a library should stay quiet.
void QuietOnce() {
  static std::once_flag once;
  std::call_once(once, [] { (void)XGBSetGlobalConfig("{\"verbosity\": 0}"); });
}

class DMatrix {
 public:
  ~DMatrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  Status Create(const FeatureMatrix& x) {
    if (XGDMatrixCreateFromMat(x.values.data(), x.rows, x.cols, std::numeric_limits<float>::quiet_NaN(), &handle_) != 0) {
      return XgbError("build an xgboost matrix");
    }
    return Status::Ok();
  }
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

Status SetParams(BoosterHandle h, const BoosterParams& p) {
  const std::pair<const char*, std::string> params[] = {
      {"objective", "reg:squarederror"}, {"tree_method", "hist"},
      {"max_depth", std::to_string(p.max_depth)}, {"eta", std::to_string(p.eta)},
      {"subsample", std::to_string(p.subsample)}, {"colsample_bytree", std::to_string(p.colsample_bytree)},
      {"min_child_weight", std::to_string(p.min_child_weight)}, {"lambda", std::to_string(p.lambda)},
      {"nthread", std::to_string(p.nthread)}, {"seed", std::to_string(p.seed)}, {"verbosity", "0"}};
  for (const auto& [name, value] : params) {
    if (XGBoosterSetParam(h, name, value.c_str()) != 0) return XgbError(std::string("set ") + name);
  }
  return Status::Ok();
}

}  // namespace

Booster::Booster(Booster&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

Booster& Booster::operator=(Booster&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

Booster::~Booster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

Result<Booster> Booster::Train(const FeatureMatrix& x, std::span<const float> labels, const BoosterParams& params,
                               std::span<const float> weights) {
  QuietOnce();
  if (x.rows == 0 || labels.size() != x.rows || x.values.size() != x.rows * x.cols ||
      (!weights.empty() && weights.size() != x.rows)) {
    return Status::InvalidArgument("cannot train: features, labels and weights do not match");
  }
  DMatrix data;
  ZZ_RETURN_IF_ERROR(data.Create(x));
  if (XGDMatrixSetFloatInfo(data.get(), "label", labels.data(), labels.size()) != 0) return XgbError("set labels");
  if (!weights.empty() && XGDMatrixSetFloatInfo(data.get(), "weight", weights.data(), weights.size()) != 0) {
    return XgbError("set weights");
  }
  DMatrixHandle matrices[] = {data.get()};
  BoosterHandle handle = nullptr;
  if (XGBoosterCreate(matrices, 1, &handle) != 0) return XgbError("create a booster");
  Booster booster(handle);
  ZZ_RETURN_IF_ERROR(SetParams(handle, params));
  for (int round = 0; round < params.rounds; ++round) {
    if (XGBoosterUpdateOneIter(handle, round, data.get()) != 0) return XgbError("train a boosting round");
  }
  return booster;
}

Result<Booster> Booster::Load(std::string_view bytes) {
  QuietOnce();
  BoosterHandle handle = nullptr;
  if (XGBoosterCreate(nullptr, 0, &handle) != 0) return XgbError("create a booster");
  Booster booster(handle);
  if (XGBoosterLoadModelFromBuffer(handle, bytes.data(), bytes.size()) != 0) {
    return Status::Corruption(std::string("cannot load the xgboost model: ") + XGBGetLastError());
  }
  // A saved model keeps no thread count; without this XGBoost would predict on every core.
  if (XGBoosterSetParam(handle, "nthread", "1") != 0) return XgbError("set nthread");
  return booster;
}

Result<std::vector<float>> Booster::Predict(const FeatureMatrix& x) const {
  DMatrix data;
  ZZ_RETURN_IF_ERROR(data.Create(x));
  bst_ulong length = 0;
  const float* out = nullptr;
  if (XGBoosterPredict(handle_, data.get(), 0, 0, 0, &length, &out) != 0) return XgbError("predict");
  if (length != x.rows) return Status::Internal("cannot predict: xgboost returned a wrong number of values");
  return std::vector<float>(out, out + length);
}

Result<size_t> Booster::FeatureCount() const {
  bst_ulong count = 0;
  if (XGBoosterGetNumFeature(handle_, &count) != 0) return XgbError("read the feature count");
  return static_cast<size_t>(count);
}

Result<std::string> Booster::Save() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  if (XGBoosterSaveModelToBuffer(handle_, "{\"format\": \"ubj\"}", &length, &bytes) != 0) return XgbError("save");
  return std::string(bytes, length);
}

}  // namespace zhizao::analytics::rul
