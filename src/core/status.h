// Status and Result: every fallible library call returns one of these.
// The library never aborts on user data; it returns a Status whose message
// names the node, tensor or field at fault.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ew {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad user input: wrong shape, dtype, name, attribute
  kInvalidModel,     // malformed model file or graph
  kUnsupported,      // valid, but not implemented here
  kNotFound,         // missing file, input or output
  kOutOfRange,       // index out of bounds in data
  kIoError,          // read/write failure
  kResourceExhausted,// allocation failed or size limit exceeded
  kInternal,         // a bug in Edgewise
};

const char* status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string to_string() const;

  // Prefixes context, e.g. "node 'conv1' (Conv): " + message.
  Status with_context(const std::string& prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status invalid_model(std::string m) { return {StatusCode::kInvalidModel, std::move(m)}; }
inline Status unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status out_of_range(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
inline Status io_error(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status resource_exhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
inline Status internal_error(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Result<T>: a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(implicit)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(implicit)
    if (status_.is_ok()) status_ = internal_error("Result constructed from an ok Status");
  }

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace ew

#define EW_CONCAT_INNER(a, b) a##b
#define EW_CONCAT(a, b) EW_CONCAT_INNER(a, b)

#define EW_RETURN_IF_ERROR(expr)                   \
  do {                                             \
    ::ew::Status ew_status_ = (expr);              \
    if (!ew_status_.is_ok()) return ew_status_;    \
  } while (0)

#define EW_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.is_ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define EW_ASSIGN_OR_RETURN(lhs, expr) \
  EW_ASSIGN_OR_RETURN_IMPL(EW_CONCAT(ew_result_, __LINE__), lhs, expr)

// Returns an invalid-argument Status built from a streamed message when cond fails.
#define EW_CHECK_ARG(cond, msg)                                    \
  do {                                                             \
    if (!(cond)) return ::ew::invalid_argument(msg);               \
  } while (0)
