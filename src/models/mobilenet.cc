#include "models/mobilenet.h"

#include <cmath>
#include <random>

#include "ir/graph_builder.h"

namespace ew {

namespace {

class MobileNetWriter {
 public:
  explicit MobileNetWriter(const MobileNetConfig& c) : c_(c), b_("mobilenet", c.opset), rng_(c.seed) {}

  Result<Model> write() {
    std::string x = b_.input("input", DType::kFloat32, {Dim::symbolic("N"), c_.in_channels, c_.resolution, c_.resolution});
    x = conv_bn_act(x, c_.in_channels, c_.stem_channels, 3, 2, 1, true, "stem");
    int64_t ch = c_.stem_channels;
    for (size_t s = 0; s < c_.blocks.size(); ++s) {
      const InvertedResidual& blk = c_.blocks[s];
      for (int64_t r = 0; r < blk.repeats; ++r) {
        std::string name = "block" + std::to_string(s) + "_" + std::to_string(r);
        x = inverted_residual(x, ch, blk.channels, blk.expand, r == 0 ? blk.stride : 1, name);
        ch = blk.channels;
      }
    }
    x = conv_bn_act(x, ch, c_.head_channels, 1, 1, 1, true, "head");
    x = b_.node("GlobalAveragePool", {x}, {}, "pool");
    x = b_.node("Flatten", {x}, {{"axis", Attribute::make_int(1)}}, "flatten");
    std::string w = b_.constant("fc_weight", he_normal({c_.classes, c_.head_channels}, c_.head_channels));
    std::string bias = b_.constant("fc_bias", filled({c_.classes}, 0.01f));
    x = b_.node("Gemm", {x, w, bias}, {{"transB", Attribute::make_int(1)}}, "fc");
    b_.output(x, "logits");
    return b_.build();
  }

 private:
  Tensor he_normal(const Shape& shape, int64_t fan_in) {
    Tensor t = Tensor::create(DType::kFloat32, shape).value();
    std::normal_distribution<float> dist(0.0f, std::sqrt(2.0f / static_cast<float>(fan_in)));
    for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = dist(rng_);
    return t;
  }

  Tensor filled(const Shape& shape, float v) {
    Tensor t = Tensor::create(DType::kFloat32, shape).value();
    for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = v;
    return t;
  }

  // BatchNormalization with statistics that keep activations in a sane range.
  std::string batch_norm(const std::string& x, int64_t ch, const std::string& name) {
    std::uniform_real_distribution<float> u(0.5f, 1.5f), m(-0.1f, 0.1f);
    Tensor scale = filled({ch}, 1), bias = filled({ch}, 0), mean = filled({ch}, 0), var = filled({ch}, 1);
    for (int64_t i = 0; i < ch; ++i) {
      scale.data<float>()[i] = u(rng_);
      bias.data<float>()[i] = m(rng_);
      mean.data<float>()[i] = m(rng_);
      var.data<float>()[i] = u(rng_);
    }
    return b_.node("BatchNormalization",
                   {x, b_.constant(name + "_bn_scale", scale), b_.constant(name + "_bn_bias", bias),
                    b_.constant(name + "_bn_mean", mean), b_.constant(name + "_bn_var", var)},
                   {{"epsilon", Attribute::make_float(1e-5f)}}, name + "_bn");
  }

  std::string activation(const std::string& x, const std::string& name) {
    if (!c_.relu6) return b_.node("Relu", {x}, {}, name + "_relu");
    std::string lo = b_.constant(name + "_min", Tensor::scalar<float>(0.0f).value());
    std::string hi = b_.constant(name + "_max", Tensor::scalar<float>(6.0f).value());
    return b_.node("Clip", {x, lo, hi}, {}, name + "_relu6");
  }

  std::string conv_bn_act(const std::string& x, int64_t cin, int64_t cout, int64_t k, int64_t stride, int64_t groups,
                          bool act, const std::string& name) {
    int64_t pad = k / 2;
    std::string w = b_.constant(name + "_weight", he_normal({cout, cin / groups, k, k}, cin / groups * k * k));
    std::string y = b_.node("Conv", {x, w},
                            {{"kernel_shape", Attribute::make_ints({k, k})},
                             {"strides", Attribute::make_ints({stride, stride})},
                             {"pads", Attribute::make_ints({pad, pad, pad, pad})},
                             {"group", Attribute::make_int(groups)}},
                            name + "_conv");
    y = batch_norm(y, cout, name);
    return act ? activation(y, name) : y;
  }

  std::string inverted_residual(const std::string& x, int64_t cin, int64_t cout, int64_t expand, int64_t stride,
                                const std::string& name) {
    int64_t hidden = cin * expand;
    std::string y = x;
    if (expand != 1) y = conv_bn_act(y, cin, hidden, 1, 1, 1, true, name + "_expand");
    y = conv_bn_act(y, hidden, hidden, 3, stride, hidden, true, name + "_dw");
    y = conv_bn_act(y, hidden, cout, 1, 1, 1, false, name + "_project");
    if (stride == 1 && cin == cout) y = b_.node("Add", {x, y}, {}, name + "_residual");
    return y;
  }

  const MobileNetConfig& c_;
  GraphBuilder b_;
  std::mt19937 rng_;
};

}  // namespace

Result<Model> build_mobilenet(const MobileNetConfig& config) {
  if (config.resolution < 8 || config.resolution > 4096) return invalid_argument("resolution must be in [8, 4096]");
  if (config.classes < 1 || config.stem_channels < 1 || config.head_channels < 1 || config.in_channels < 1)
    return invalid_argument("channel and class counts must be positive");
  for (const auto& b : config.blocks)
    if (b.expand < 1 || b.channels < 1 || b.repeats < 1 || b.stride < 1 || b.stride > 2)
      return invalid_argument("inverted-residual blocks need expand, channels, repeats >= 1 and stride 1 or 2");
  return MobileNetWriter(config).write();
}

}  // namespace ew
