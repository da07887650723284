// Status and Result<T>: expected failures as values.
//
// Every I/O or validation path returns one of these; exceptions never cross a module.
// A Status carries a code that api maps to an HTTP status, and a message that reads
// "cannot X: cause". Context is added on the way up with WithContext().
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace zhizao {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // the caller sent something malformed or out of its domain
  kNotFound,
  kAlreadyExists,
  kOutOfRange,         // a value or timestamp outside an accepted window
  kFailedPrecondition, // the system is not in a state that allows this (e.g. data dir locked)
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,  // a bounded queue or limit is full; retry later
  kUnavailable,        // a peer or resource is temporarily unreachable
  kIOError,
  kCorruption,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // Ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status OutOfRange(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "code: message", or "OK".
  std::string ToString() const;

  // Returns this status with "context: " prepended to its message; Ok stays Ok.
  Status WithContext(std::string_view context) const&;
  Status WithContext(std::string_view context) &&;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Holds a T or a non-Ok Status, shaped like std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit like std::expected
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    if (std::get<Status>(data_).ok()) data_ = Status::Internal("Result built from an Ok status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Ok when ok(); otherwise the error.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace zhizao

// Returns early from the enclosing function with the status of `expr` if it is not Ok.
#define ZZ_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::zhizao::Status zz_status_ = (expr);         \
    if (!zz_status_.ok()) return zz_status_;      \
  } while (0)

#define ZZ_CONCAT_INNER(a, b) a##b
#define ZZ_CONCAT(a, b) ZZ_CONCAT_INNER(a, b)
// Declares `lhs` from the value of a Result expression, or returns its status.
#define ZZ_ASSIGN_OR_RETURN(lhs, expr) ZZ_ASSIGN_OR_RETURN_IMPL(ZZ_CONCAT(zz_result_, __LINE__), lhs, expr)
#define ZZ_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
