// What each model-builder family provides (one file per family), and the
// checks they share. Internal to src/train/.
#pragma once

#include <cstdint>
#include <string>

#include "train/model_builder.h"

namespace ew::train::detail {

// Limits that keep a hostile spec from asking for absurd allocations; the
// parameter limit (1 GiB of float32) is what binds in practice.
inline constexpr int64_t kMaxChannels = int64_t{1} << 16;
inline constexpr int64_t kMaxSpatial = int64_t{1} << 16;
inline constexpr int64_t kMaxUnits = int64_t{1} << 20;  // classes, MLP widths
inline constexpr int64_t kMaxLayers = 1024;             // hidden layers; blocks of all stages together
inline constexpr int64_t kMaxStages = 64;
inline constexpr int64_t kMaxExpansion = 64;
inline constexpr int64_t kMaxStride = 4;
inline constexpr int64_t kMaxParameters = int64_t{1} << 28;

// Saturating arithmetic for closed-form counts of hostile specs.
int64_t sat_add(int64_t a, int64_t b);
int64_t sat_mul(int64_t a, int64_t b);

Status field_error(const std::string& field, const std::string& what);
// A number as a message shows it: "0.1", "1", "1e+300".
std::string number_text(double v);
// lo <= v <= hi, with "must be positive" for v < 1 when lo == 1.
Status check_range(int64_t v, int64_t lo, int64_t hi, const std::string& field);
Status check_kernel(int64_t k, const std::string& field);
Status check_activation(const std::string& act, const std::string& field);
// Applies `stride` to the feature map h x w ("same" padding: ceil(h / stride)),
// failing when the map is smaller than the stride.
Status downsample(int64_t& h, int64_t& w, int64_t stride, const std::string& field);
// 1..kMaxStages stages.
Status check_stage_count(size_t stages);
// Adds a stage's repeats to *blocks, failing past kMaxLayers blocks in all.
Status add_blocks(int64_t* blocks, int64_t repeats, const std::string& field);

// Per family: checks of its own fields (the common ones are checked first),
// closed-form trainable parameter count of a valid spec, and the builder.
Status validate_mlp(const ModelSpec& spec);
int64_t count_mlp(const ModelSpec& spec);
Result<Model> build_mlp(const ModelSpec& spec);

Status validate_mobilenet_v2(const ModelSpec& spec);
int64_t count_mobilenet_v2(const ModelSpec& spec);
Result<Model> build_mobilenet_v2(const ModelSpec& spec);

Status validate_resnet(const ModelSpec& spec);
int64_t count_resnet(const ModelSpec& spec);
Result<Model> build_resnet(const ModelSpec& spec);

}  // namespace ew::train::detail
