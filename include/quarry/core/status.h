// Status and Result<T>: how every core function reports failure.
//
// The core never throws across its public API. Exceptions from SQLiteCpp, OpenCV,
// nlohmann-json, pugixml or yaml-cpp are caught at the boundary where they happen and
// turned into a Status whose message names the file and the problem, so a caller (the CLI,
// the GUI, a test) can show it to a user as it is. Thread-safety: value types, no sharing.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace quarry {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller asked for something that makes no sense
  kNotFound,         // a file, image, class, tag or run does not exist
  kAlreadyExists,
  kBadInput,         // a file exists but its content is malformed
  kIoError,          // reading or writing a file or the database failed
  kIncompatible,     // e.g. a project written by a newer Quarry
  kCancelled,        // a progress callback asked to stop
  kInternal,
};

// [[nodiscard]]: a Status (or Result) that nobody looks at is an error nobody sees; the compiler
// warns, and a caller that really does not care says so with (void).
class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Error(StatusCode code, std::string message) { return Status(code, std::move(message)); }
  static Status InvalidArgument(std::string m) { return Error(StatusCode::kInvalidArgument, std::move(m)); }
  static Status NotFound(std::string m) { return Error(StatusCode::kNotFound, std::move(m)); }
  static Status BadInput(std::string m) { return Error(StatusCode::kBadInput, std::move(m)); }
  static Status IoError(std::string m) { return Error(StatusCode::kIoError, std::move(m)); }
  static Status Cancelled() { return Error(StatusCode::kCancelled, "cancelled"); }

  bool ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool cancelled() const { return code_ == StatusCode::kCancelled; }

  // Returns a copy whose message starts with `context: `, for adding the file or step name.
  Status withContext(const std::string& context) const;

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

const char* statusCodeName(StatusCode code);

// Result<T> holds a T or a non-OK Status. Reading the value of a failed result is a bug: it
// asserts in debug builds (and is undefined in release builds); check ok() first.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}             // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}     // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Status& status() const { return status_; }
  T& value() & { return checked(); }
  const T& value() const& { return checked(); }
  // On a temporary these return the value itself, so `for (auto& x : *f())` is safe.
  T value() && { return std::move(checked()); }
  T* operator->() { return &checked(); }
  const T* operator->() const { return &checked(); }
  T& operator*() & { return checked(); }
  const T& operator*() const& { return checked(); }
  T operator*() && { return std::move(checked()); }

 private:
  T& checked() {
    assert(value_.has_value() && "Result: value read from a failed result; check ok() first");
    return *value_;
  }
  const T& checked() const {
    assert(value_.has_value() && "Result: value read from a failed result; check ok() first");
    return *value_;
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace quarry

// Propagates a failed Status from an expression that yields Status.
#define QUARRY_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::quarry::Status _qst = (expr);           \
    if (!_qst.ok()) return _qst;              \
  } while (0)
