// ResNet-style: stem (conv + BN + ReLU, optional max pool), stages of basic
// blocks with identity or projection shortcuts, classifier.
#include "train/model_builder/families.h"
#include "train/model_builder/layer_writer.h"

namespace ew::train::detail {
namespace {

int64_t conv_bn_count(int64_t cin, int64_t cout, int64_t k) {
  return sat_add(sat_mul(sat_mul(cin, cout), k * k), sat_mul(2, cout));
}

class ResNetWriter {
 public:
  explicit ResNetWriter(const ModelSpec& spec) : spec_(spec), r_(spec.resnet), w_(spec, "resnet") {}

  Result<Model> write() {
    std::string x = w_.input();
    x = w_.conv_bn(x, spec_.channels, r_.stem_channels, r_.stem_kernel, r_.stem_stride, 1, true, "stem.conv",
                   "stem.bn");
    x = w_.activation(x, "relu", "stem.relu");
    if (r_.stem_maxpool)
      x = w_.node("MaxPool", {x},
                  {{"kernel_shape", Attribute::make_ints({3, 3})},
                   {"strides", Attribute::make_ints({2, 2})},
                   {"pads", Attribute::make_ints({1, 1, 1, 1})}},
                  "stem.maxpool");
    int64_t cin = r_.stem_channels;
    for (size_t s = 0; s < r_.stages.size(); ++s) {
      const ResNetStage& st = r_.stages[s];
      for (int64_t b = 0; b < st.n; ++b) {
        const std::string name = "stage" + std::to_string(s + 1) + ".block" + std::to_string(b + 1);
        x = basic_block(x, cin, st.c, b == 0 ? st.s : 1, name);
        cin = st.c;
      }
    }
    x = w_.node("GlobalAveragePool", {x}, {}, "pool");
    x = w_.node("Flatten", {x}, {{"axis", Attribute::make_int(1)}}, "flatten");
    x = w_.gemm(x, cin, spec_.classes, false, "classifier");
    return w_.finish(x, spec_.classes);
  }

 private:
  // Every conv here ends in a ReLU (the second and the shortcut after the Add): He.
  std::string basic_block(const std::string& x, int64_t cin, int64_t cout, int64_t stride, const std::string& name) {
    std::string y = w_.conv_bn(x, cin, cout, 3, stride, 1, true, name + ".conv1", name + ".bn1");
    y = w_.activation(y, "relu", name + ".relu1");
    y = w_.conv_bn(y, cout, cout, 3, 1, 1, true, name + ".conv2", name + ".bn2");
    std::string shortcut = x;
    if (stride != 1 || cin != cout)
      shortcut = w_.conv_bn(x, cin, cout, 1, stride, 1, true, name + ".shortcut.conv", name + ".shortcut.bn");
    y = w_.node("Add", {y, shortcut}, {}, name + ".add");
    return w_.activation(y, "relu", name + ".relu2");
  }

  const ModelSpec& spec_;
  const ResNetSpec& r_;
  LayerWriter w_;
};

}  // namespace

Status validate_resnet(const ModelSpec& spec) {
  const ResNetSpec& r = spec.resnet;
  EW_RETURN_IF_ERROR(check_range(r.stem_channels, 1, kMaxChannels, "stem.channels"));
  EW_RETURN_IF_ERROR(check_kernel(r.stem_kernel, "stem.kernel"));
  EW_RETURN_IF_ERROR(check_range(r.stem_stride, 1, kMaxStride, "stem.stride"));
  EW_RETURN_IF_ERROR(check_stage_count(r.stages.size()));
  int64_t h = spec.height, w = spec.width, blocks = 0;
  EW_RETURN_IF_ERROR(downsample(h, w, r.stem_stride, "stem.stride"));
  if (r.stem_maxpool) EW_RETURN_IF_ERROR(downsample(h, w, 2, "stem.maxpool"));
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const ResNetStage& s = r.stages[i];
    const std::string f = "stages[" + std::to_string(i) + "].";
    EW_RETURN_IF_ERROR(check_range(s.c, 1, kMaxChannels, f + "c"));
    EW_RETURN_IF_ERROR(add_blocks(&blocks, s.n, f + "n"));
    EW_RETURN_IF_ERROR(check_range(s.s, 1, kMaxStride, f + "s"));
    EW_RETURN_IF_ERROR(downsample(h, w, s.s, f + "s"));
  }
  return Status::ok();
}

int64_t count_resnet(const ModelSpec& spec) {
  const ResNetSpec& r = spec.resnet;
  int64_t total = conv_bn_count(spec.channels, r.stem_channels, r.stem_kernel), cin = r.stem_channels;
  for (const ResNetStage& st : r.stages) {
    for (int64_t b = 0; b < st.n; ++b) {
      const int64_t stride = b == 0 ? st.s : 1;
      total = sat_add(total, sat_add(conv_bn_count(cin, st.c, 3), conv_bn_count(st.c, st.c, 3)));
      if (stride != 1 || cin != st.c) total = sat_add(total, conv_bn_count(cin, st.c, 1));
      cin = st.c;
    }
  }
  return sat_add(total, sat_add(sat_mul(cin, spec.classes), spec.classes));
}

Result<Model> build_resnet(const ModelSpec& spec) { return ResNetWriter(spec).write(); }

}  // namespace ew::train::detail
