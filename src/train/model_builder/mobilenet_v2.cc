// MobileNetV2-style: stem, inverted residual blocks (optionally with
// squeeze-excite and 5x5/7x7 depthwise kernels), head, classifier.
#include <algorithm>

#include "train/model_builder/families.h"
#include "train/model_builder/layer_writer.h"

namespace ew::train::detail {
namespace {

// Channel counts after the width multiplier, as torchvision's MobileNetV2:
// stem and stages scale by `width`, the head by max(1, width).
struct Channels {
  int64_t stem = 0;
  std::vector<int64_t> stages;
  int64_t head = 0;
};

Channels channels_of(const MobileNetV2Spec& m) {
  Channels c;
  c.stem = make_divisible(static_cast<double>(m.stem_channels) * m.width, m.divisor);
  for (const MobileNetV2Stage& s : m.stages) c.stages.push_back(make_divisible(static_cast<double>(s.c) * m.width, m.divisor));
  c.head = make_divisible(static_cast<double>(m.head) * std::max(1.0, m.width), m.divisor);
  return c;
}

// Squeeze-excite bottleneck, as MobileNetV3: a quarter of the channels, rounded.
int64_t squeeze_of(int64_t hidden, int64_t divisor) { return make_divisible(static_cast<double>(hidden) / 4.0, divisor); }

// 1x1 conv + BN: weights plus BN scale and bias.
int64_t conv_bn_count(int64_t cin_per_group, int64_t cout, int64_t k) {
  return sat_add(sat_mul(sat_mul(cin_per_group, cout), k * k), sat_mul(2, cout));
}

class MobileNetV2Writer {
 public:
  explicit MobileNetV2Writer(const ModelSpec& spec) : spec_(spec), m_(spec.mobilenetv2), w_(spec, "mobilenetv2") {}

  Result<Model> write() {
    const Channels ch = channels_of(m_);
    const bool he = relu_family(m_.activation);
    std::string x = w_.input();
    x = w_.conv_bn(x, spec_.channels, ch.stem, 3, m_.stem_stride, 1, he, "stem.conv", "stem.bn");
    x = w_.activation(x, m_.activation, "stem.act");
    int64_t cin = ch.stem;
    for (size_t s = 0; s < m_.stages.size(); ++s) {
      for (int64_t r = 0; r < m_.stages[s].n; ++r) {
        const std::string name = "stage" + std::to_string(s + 1) + ".block" + std::to_string(r + 1);
        x = block(x, cin, ch.stages[s], m_.stages[s], r == 0 ? m_.stages[s].s : 1, name);
        cin = ch.stages[s];
      }
    }
    x = w_.conv_bn(x, cin, ch.head, 1, 1, 1, he, "head.conv", "head.bn");
    x = w_.activation(x, m_.activation, "head.act");
    x = w_.node("GlobalAveragePool", {x}, {}, "pool");
    x = w_.node("Flatten", {x}, {{"axis", Attribute::make_int(1)}}, "flatten");
    x = w_.gemm(x, ch.head, spec_.classes, false, "classifier");
    return w_.finish(x, spec_.classes);
  }

 private:
  std::string block(const std::string& x, int64_t cin, int64_t cout, const MobileNetV2Stage& st, int64_t stride,
                    const std::string& name) {
    const bool he = relu_family(m_.activation);
    const int64_t hidden = cin * st.t;
    std::string y = x;
    if (st.t != 1) {
      y = w_.conv_bn(y, cin, hidden, 1, 1, 1, he, name + ".expand.conv", name + ".expand.bn");
      y = w_.activation(y, m_.activation, name + ".expand.act");
    }
    y = w_.conv_bn(y, hidden, hidden, st.k, stride, hidden, he, name + ".dw.conv", name + ".dw.bn");
    y = w_.activation(y, m_.activation, name + ".dw.act");
    if (st.se) y = squeeze_excite(y, hidden, name + ".se");
    y = w_.conv_bn(y, hidden, cout, 1, 1, 1, false, name + ".project.conv", name + ".project.bn");
    if (stride == 1 && cin == cout) y = w_.node("Add", {x, y}, {}, name + ".add");
    return y;
  }

  std::string squeeze_excite(const std::string& x, int64_t channels, const std::string& name) {
    const int64_t squeeze = squeeze_of(channels, m_.divisor);
    std::string s = w_.node("GlobalAveragePool", {x}, {}, name + ".pool");
    s = w_.conv_with_bias(s, channels, squeeze, true, name + ".reduce");
    s = w_.node("Relu", {s}, {}, name + ".relu");
    s = w_.conv_with_bias(s, squeeze, channels, false, name + ".expand");
    // PyTorch's hardsigmoid: relu6(x + 3) / 6.
    s = w_.node("HardSigmoid", {s},
                {{"alpha", Attribute::make_float(1.0f / 6.0f)}, {"beta", Attribute::make_float(0.5f)}}, name + ".gate");
    return w_.node("Mul", {x, s}, {}, name + ".mul");
  }

  const ModelSpec& spec_;
  const MobileNetV2Spec& m_;
  LayerWriter w_;
};

}  // namespace

Status validate_mobilenet_v2(const ModelSpec& spec) {
  const MobileNetV2Spec& m = spec.mobilenetv2;
  if (!(m.width > 0.0 && m.width <= 8.0)) return field_error("width", "must be in (0, 8], got " + number_text(m.width));
  EW_RETURN_IF_ERROR(check_range(m.divisor, 1, 256, "divisor"));
  EW_RETURN_IF_ERROR(check_range(m.stem_channels, 1, kMaxChannels, "stem.channels"));
  EW_RETURN_IF_ERROR(check_range(m.stem_stride, 1, kMaxStride, "stem.stride"));
  EW_RETURN_IF_ERROR(check_stage_count(m.stages.size()));
  int64_t h = spec.height, w = spec.width, blocks = 0;
  EW_RETURN_IF_ERROR(downsample(h, w, m.stem_stride, "stem.stride"));
  for (size_t i = 0; i < m.stages.size(); ++i) {
    const MobileNetV2Stage& s = m.stages[i];
    const std::string f = "stages[" + std::to_string(i) + "].";
    EW_RETURN_IF_ERROR(check_range(s.t, 1, kMaxExpansion, f + "t"));
    EW_RETURN_IF_ERROR(check_range(s.c, 1, kMaxChannels, f + "c"));
    EW_RETURN_IF_ERROR(add_blocks(&blocks, s.n, f + "n"));
    EW_RETURN_IF_ERROR(check_range(s.s, 1, kMaxStride, f + "s"));
    EW_RETURN_IF_ERROR(check_kernel(s.k, f + "k"));
    EW_RETURN_IF_ERROR(downsample(h, w, s.s, f + "s"));
  }
  EW_RETURN_IF_ERROR(check_range(m.head, 1, kMaxChannels, "head"));
  return check_activation(m.activation, "activation");
}

int64_t count_mobilenet_v2(const ModelSpec& spec) {
  const MobileNetV2Spec& m = spec.mobilenetv2;
  const Channels ch = channels_of(m);
  int64_t total = conv_bn_count(spec.channels, ch.stem, 3), cin = ch.stem;
  for (size_t s = 0; s < m.stages.size(); ++s) {
    const MobileNetV2Stage& st = m.stages[s];
    for (int64_t r = 0; r < st.n; ++r) {
      const int64_t hidden = sat_mul(cin, st.t), cout = ch.stages[s];
      int64_t block = 0;
      if (st.t != 1) block = conv_bn_count(cin, hidden, 1);
      block = sat_add(block, conv_bn_count(1, hidden, st.k));
      if (st.se) {
        const int64_t sq = squeeze_of(hidden, m.divisor);
        block = sat_add(block, sat_add(sat_mul(2, sat_mul(hidden, sq)), sat_add(sq, hidden)));
      }
      block = sat_add(block, conv_bn_count(hidden, cout, 1));
      total = sat_add(total, block);
      cin = cout;
    }
  }
  total = sat_add(total, conv_bn_count(cin, ch.head, 1));
  return sat_add(total, sat_add(sat_mul(ch.head, spec.classes), spec.classes));
}

Result<Model> build_mobilenet_v2(const ModelSpec& spec) { return MobileNetV2Writer(spec).write(); }

}  // namespace ew::train::detail
