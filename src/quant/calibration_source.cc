// open_calibration_source: picks the kind of source from the spec, and the
// shaping of array rows into model inputs that every array-backed source uses.
#include "quant/calibration_source.h"

#include <cstring>
#include <filesystem>
#include <optional>
#include <type_traits>

#include "core/npy.h"

namespace ew::quant {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Declared dims agree with `shape` (unknown dims accept anything).
bool fits(const ValueType& type, const Shape& shape) {
  if (!type.has_shape) return true;
  if (type.dims.size() != shape.size()) return false;
  for (size_t d = 0; d < shape.size(); ++d)
    if (type.dims[d].known() && type.dims[d].value != shape[d]) return false;
  return true;
}

// The declared shape with the batch dim set to `n` and at most one other unknown dim inferred from `numel`.
std::optional<Shape> infer_shape(const ValueType& type, int64_t n, int64_t numel) {
  Shape s;
  int unknown = -1;
  int64_t known = 1;
  for (size_t d = 0; d < type.dims.size(); ++d) {
    int64_t v = type.dims[d].known() ? type.dims[d].value : (d == 0 ? n : -1);
    if (v < 0) {
      if (unknown >= 0) return std::nullopt;
      unknown = static_cast<int>(d);
    } else {
      known *= v;
    }
    s.push_back(v);
  }
  if (unknown >= 0) {
    if (known <= 0 || numel % known != 0) return std::nullopt;
    s[static_cast<size_t>(unknown)] = numel / known;
  }
  auto total = shape_numel(s);
  if (!total || *total != numel) return std::nullopt;
  return s;
}

Status convert_into(const Tensor& from, int64_t offset, Tensor& to) {
  if (from.dtype() == to.dtype()) {
    std::memcpy(to.raw(), static_cast<const uint8_t*>(from.raw()) + offset * static_cast<int64_t>(dtype_size(from.dtype())),
                to.nbytes());
    return Status::ok();
  }
  bool ok = visit_numeric(to.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* out = to.data<T>();
    for (int64_t i = 0; i < to.numel(); ++i) {
      if constexpr (std::is_integral_v<T>) out[i] = static_cast<T>(from.get_int64(offset + i));
      else out[i] = static_cast<T>(static_cast<float>(from.get_double(offset + i)));
    }
  });
  if (!ok || from.dtype() == DType::kBool) return invalid_argument(std::string("cannot convert ") + dtype_name(from.dtype()) +
                                                                   " data to " + dtype_name(to.dtype()));
  return Status::ok();
}

}  // namespace

Result<Tensor> sample_batch(const Tensor& samples, int64_t begin, int64_t n, const ValueInfo& input) {
  if (samples.rank() < 1) return invalid_argument("calibration data for input '" + input.name + "' is a scalar; the first axis must count samples");
  if (begin < 0 || n < 1 || begin + n > samples.dim(0)) return out_of_range("calibration samples out of range for input '" + input.name + "'");
  Shape rows(samples.shape().begin() + 1, samples.shape().end());
  int64_t per = 1;
  for (int64_t d : rows) per *= d;
  Shape stacked = rows;
  stacked.insert(stacked.begin(), n);
  std::optional<Shape> shape;
  if (fits(input.type, stacked)) shape = stacked;
  else if (n == 1 && fits(input.type, rows)) shape = rows;
  else if (input.type.has_shape) shape = infer_shape(input.type, n, n * per);
  if (!shape)
    return invalid_argument("calibration samples of shape " + shape_to_string(rows) + " do not fit input '" + input.name +
                            "' (" + input.type.to_string() + ")");
  DType dtype = input.type.dtype == DType::kUndefined ? samples.dtype() : input.type.dtype;
  EW_ASSIGN_OR_RETURN(Tensor out, Tensor::create(dtype, *shape));
  Status s = convert_into(samples, begin * per, out);
  if (!s.is_ok()) return s.with_context("input '" + input.name + "': ");
  return out;
}

Result<std::unique_ptr<CalibrationSource>> open_npy_source(const std::string& path, const Model& model, int count) {
  if (model.graph.inputs.size() != 1)
    return invalid_argument(path + ": a .npy file feeds a model with one input; this model has " +
                            std::to_string(model.graph.inputs.size()) + " (use an .npz with one array per input)");
  auto t = read_npy(path);
  if (!t.is_ok()) return t.status().with_context(path + ": ");
  std::map<std::string, Tensor> arrays{{model.graph.inputs[0].name, std::move(t).value()}};
  auto src = make_array_source(std::move(arrays), model, count);
  if (!src.is_ok()) return src.status().with_context(path + ": ");
  return src;
}

Result<std::unique_ptr<CalibrationSource>> open_calibration_source(const std::string& spec, const Model& model,
                                                                   int count) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(spec, ec)) return open_test_data_source(spec, model, count);
  if (ends_with(spec, ".npy")) return open_npy_source(spec, model, count);
  if (ends_with(spec, ".npz")) return open_npz_source(spec, model, count);
  if (!fs::exists(spec, ec) && spec.find('/') == std::string::npos) return open_dataset_source(spec, model, count);
  return invalid_argument("calibration data '" + spec +
                          "': expected a .npy or .npz file, a folder of test_data_set_N folders, or a dataset name "
                          "(fashion-mnist)");
}

}  // namespace ew::quant
