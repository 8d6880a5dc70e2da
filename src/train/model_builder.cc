// The model builder's front door: common checks, then the family's.
#include "train/model_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "train/model_builder/families.h"
#include "train/model_builder/layer_writer.h"

namespace ew::train {
namespace detail {

int64_t sat_add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}

int64_t sat_mul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}

Status field_error(const std::string& field, const std::string& what) { return invalid_argument(field + ": " + what); }

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Status check_range(int64_t v, int64_t lo, int64_t hi, const std::string& field) {
  if (lo == 1 && v < 1) return field_error(field, "must be positive, got " + std::to_string(v));
  if (v < lo || v > hi)
    return field_error(field, "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + std::to_string(v));
  return Status::ok();
}

Status check_kernel(int64_t k, const std::string& field) {
  if (k == 3 || k == 5 || k == 7) return Status::ok();
  return field_error(field, "kernel must be 3, 5 or 7, got " + std::to_string(k));
}

Status check_activation(const std::string& act, const std::string& field) {
  if (known_activation(act)) return Status::ok();
  return field_error(field, "unknown activation '" + act + "' (expected relu, relu6, gelu, tanh, sigmoid or hardswish)");
}

Status downsample(int64_t& h, int64_t& w, int64_t stride, const std::string& field) {
  if (h < stride || w < stride)
    return field_error(field, "stride " + std::to_string(stride) + " on a " + std::to_string(h) + "x" + std::to_string(w) +
                                  " feature map: the spatial size would reach zero (the input is too small for this many "
                                  "downsamplings)");
  h = (h + stride - 1) / stride;
  w = (w + stride - 1) / stride;
  return Status::ok();
}

Status check_stage_count(size_t stages) {
  if (stages == 0) return field_error("stages", "must not be empty");
  if (stages > static_cast<size_t>(kMaxStages))
    return field_error("stages", "at most " + std::to_string(kMaxStages) + " stages, got " + std::to_string(stages));
  return Status::ok();
}

Status add_blocks(int64_t* blocks, int64_t repeats, const std::string& field) {
  EW_RETURN_IF_ERROR(check_range(repeats, 1, kMaxLayers, field));
  *blocks += repeats;
  if (*blocks > kMaxLayers)
    return field_error(field, "more than " + std::to_string(kMaxLayers) + " blocks in all stages together");
  return Status::ok();
}

}  // namespace detail

using namespace detail;

int64_t make_divisible(double v, int64_t divisor) {
  if (!(v > 0) || divisor < 1) return divisor < 1 ? 1 : divisor;
  const double d = static_cast<double>(divisor);
  if (v > 1e15) return static_cast<int64_t>(1e15);  // beyond any valid spec; keeps the cast defined
  int64_t rounded = std::max(divisor, static_cast<int64_t>(v + d / 2) / divisor * divisor);
  if (static_cast<double>(rounded) < 0.9 * v) rounded += divisor;
  return rounded;
}

Status validate_model_spec(const ModelSpec& spec) {
  const bool mlp = spec.family == "mlp", mobilenet = spec.family == "mobilenetv2", resnet = spec.family == "resnet";
  if (!mlp && !mobilenet && !resnet)
    return field_error("family", "unknown family '" + spec.family + "' (expected mlp, mobilenetv2 or resnet)");
  EW_RETURN_IF_ERROR(check_range(spec.channels, 1, kMaxChannels, "input[0]"));
  EW_RETURN_IF_ERROR(check_range(spec.height, 1, kMaxSpatial, "input[1]"));
  EW_RETURN_IF_ERROR(check_range(spec.width, 1, kMaxSpatial, "input[2]"));
  EW_RETURN_IF_ERROR(check_range(spec.classes, 1, kMaxUnits, "classes"));
  if (spec.init != "he" && spec.init != "xavier")
    return field_error("init", "unknown initialisation '" + spec.init + "' (expected he or xavier)");
  EW_RETURN_IF_ERROR(mlp ? validate_mlp(spec) : mobilenet ? validate_mobilenet_v2(spec) : validate_resnet(spec));
  const int64_t params = mlp ? count_mlp(spec) : mobilenet ? count_mobilenet_v2(spec) : count_resnet(spec);
  if (params > kMaxParameters)
    return invalid_argument("the " + spec.family + " model would have " +
                            (params == std::numeric_limits<int64_t>::max() ? std::string("over 2^63") : std::to_string(params)) +
                            " parameters, more than the limit of " + std::to_string(kMaxParameters));
  return Status::ok();
}

Result<int64_t> count_parameters(const ModelSpec& spec) {
  EW_RETURN_IF_ERROR(validate_model_spec(spec));
  if (spec.family == "mlp") return count_mlp(spec);
  if (spec.family == "mobilenetv2") return count_mobilenet_v2(spec);
  return count_resnet(spec);
}

Result<Model> build_model(const ModelSpec& spec) {
  EW_RETURN_IF_ERROR(validate_model_spec(spec));
  if (spec.family == "mlp") return build_mlp(spec);
  if (spec.family == "mobilenetv2") return build_mobilenet_v2(spec);
  return build_resnet(spec);
}

}  // namespace ew::train
