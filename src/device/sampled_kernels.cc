#include "device/sampled_kernels.h"

#include <algorithm>
#include <random>

#include "ir/graph_builder.h"

namespace ew {
namespace {

Tensor random_tensor(const Shape& shape, std::mt19937& rng) {
  Tensor t = Tensor::create(DType::kFloat32, shape).value();
  std::uniform_real_distribution<float> u(-0.1f, 0.1f);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = u(rng);
  return t;
}

struct Config {
  int64_t cin = 16, cout = 16, hw = 28, k = 3, stride = 1;
};

std::string dims_label(const Config& c) {
  return "c" + std::to_string(c.cin) + "-" + std::to_string(c.cout) + "_h" + std::to_string(c.hw);
}

Result<Model> conv_model(const Config& c, int64_t groups, std::mt19937& rng) {
  GraphBuilder b("sampled_conv");
  std::string x = b.input("input", DType::kFloat32, {Dim(1), Dim(c.cin), Dim(c.hw), Dim(c.hw)});
  std::string w = b.constant("w", random_tensor({c.cout, c.cin / groups, c.k, c.k}, rng));
  std::string bias = b.constant("b", random_tensor({c.cout}, rng));
  int64_t pad = c.k / 2;
  std::string y = b.node("Conv", {x, w, bias},
                         {{"kernel_shape", Attribute::make_ints({c.k, c.k})},
                          {"strides", Attribute::make_ints({c.stride, c.stride})},
                          {"pads", Attribute::make_ints({pad, pad, pad, pad})},
                          {"group", Attribute::make_int(groups)}});
  b.output(b.node("Relu", {y}), "output");
  return b.build();
}

// A chain of `depth` 3x3 convolutions of c.cin channels: big enough weights
// (tens of MiB) that they run cold, as in ResNet's later stages.
Result<Model> conv_chain_model(const Config& c, int depth, std::mt19937& rng) {
  GraphBuilder b("sampled_chain");
  std::string x = b.input("input", DType::kFloat32, {Dim(1), Dim(c.cin), Dim(c.hw), Dim(c.hw)});
  for (int i = 0; i < depth; ++i) {
    std::string w = b.constant("w", random_tensor({c.cin, c.cin, 3, 3}, rng));
    std::string bias = b.constant("b", random_tensor({c.cin}, rng));
    x = b.node("Conv", {x, w, bias},
               {{"kernel_shape", Attribute::make_ints({3, 3})}, {"pads", Attribute::make_ints({1, 1, 1, 1})}});
    x = b.node("Relu", {x});
  }
  b.output(x, "output");
  return b.build();
}

Result<Model> pool_model(const Config& c, const std::string& op) {
  GraphBuilder b("sampled_pool");
  std::string x = b.input("input", DType::kFloat32, {Dim(1), Dim(c.cin), Dim(c.hw), Dim(c.hw)});
  if (op == "GlobalAveragePool") b.output(b.node(op, {x}), "output");
  else
    b.output(b.node(op, {x}, {{"kernel_shape", Attribute::make_ints({c.k, c.k})},
                              {"strides", Attribute::make_ints({c.stride, c.stride})}}),
             "output");
  return b.build();
}

Result<Model> binary_model(const Config& c, const std::string& op) {
  GraphBuilder b("sampled_binary");
  std::string x = b.input("a", DType::kFloat32, {Dim(1), Dim(c.cin), Dim(c.hw), Dim(c.hw)});
  std::string y = b.input("b", DType::kFloat32, {Dim(1), Dim(c.cin), Dim(c.hw), Dim(c.hw)});
  if (op == "Concat") b.output(b.node(op, {x, y}, {{"axis", Attribute::make_int(1)}}), "output");
  else b.output(b.node(op, {x, y}), "output");
  return b.build();
}

Result<Model> gemm_model(const Config& c, std::mt19937& rng) {
  GraphBuilder b("sampled_gemm");
  std::string x = b.input("input", DType::kFloat32, {Dim(1), Dim(c.cin)});
  std::string w = b.constant("w", random_tensor({c.cout, c.cin}, rng));
  std::string bias = b.constant("b", random_tensor({c.cout}, rng));
  b.output(b.node("Gemm", {x, w, bias}, {{"transB", Attribute::make_int(1)}}), "output");
  return b.build();
}

Result<Model> batch_norm_model(const Config& c, std::mt19937& rng) {
  GraphBuilder b("sampled_bn");
  std::string x = b.input("input", DType::kFloat32, {Dim(1), Dim(c.cin), Dim(c.hw), Dim(c.hw)});
  Tensor var = random_tensor({c.cin}, rng);
  for (int64_t i = 0; i < var.numel(); ++i) var.data<float>()[i] += 1.0f;
  std::vector<std::string> in{x, b.constant("s", random_tensor({c.cin}, rng)), b.constant("b", random_tensor({c.cin}, rng)),
                              b.constant("m", random_tensor({c.cin}, rng)), b.constant("v", var)};
  b.output(b.node("BatchNormalization", in), "output");
  return b.build();
}

double conv_macs(const Config& c, int64_t groups) {
  double out = static_cast<double>(c.hw / c.stride) * static_cast<double>(c.hw / c.stride);
  return out * static_cast<double>(c.cout) * static_cast<double>(c.cin / groups) * static_cast<double>(c.k * c.k);
}

}  // namespace

Result<std::vector<SampledKernel>> sample_kernel_models(int count, uint64_t seed) {
  if (count < 0 || count > 10000) return invalid_argument("kernel sample count must be in [0, 10000]");
  std::mt19937 rng(static_cast<uint32_t>(seed));
  const std::vector<int64_t> channels{8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512};
  const std::vector<int64_t> sizes{7, 14, 28, 56, 112};
  auto pick = [&](const std::vector<int64_t>& v) { return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)]; };
  static const char* const kFamilies[] = {"conv1x1", "conv3x3", "dwconv", "conv1x1", "convkxk", "conv3x3", "dwconv",
                                          "maxpool", "add", "concat", "gap", "gemm", "avgpool", "batchnorm", "mul", "chain"};
  std::vector<SampledKernel> out;
  for (int i = 0; i < count; ++i) {
    const std::string family = kFamilies[i % (sizeof kFamilies / sizeof *kFamilies)];
    Config c;
    c.cin = pick(channels);
    c.cout = pick(channels);
    c.hw = pick(sizes);
    c.stride = std::uniform_int_distribution<int>(0, 2)(rng) == 0 ? 2 : 1;
    c.k = family == "conv1x1" ? 1 : family == "convkxk" ? (rng() % 2 ? 5 : 7) : 3;
    if (family == "convkxk") c.cin = std::min<int64_t>(c.cin, rng() % 2 ? 3 : 32);  // stems: few input channels
    if (family == "maxpool" || family == "avgpool") c.k = 2 + static_cast<int64_t>(rng() % 2), c.stride = 2;
    const bool depthwise = family == "dwconv";
    int64_t groups = depthwise ? c.cin : 1;
    if (depthwise) c.cout = c.cin;
    while (conv_macs(c, groups) > 3e8 && c.hw > 7) c.hw /= 2;
    Result<Model> m = invalid_argument("unknown family");
    std::string name = "kernel_" + family + "_";
    if (family == "chain") {
      c.cin = std::vector<int64_t>{256, 384, 512}[rng() % 3];
      c.hw = rng() % 2 ? 7 : 14;
      m = conv_chain_model(c, 4, rng);
      name += "4x3x3_c" + std::to_string(c.cin) + "_h" + std::to_string(c.hw);
    } else if (family.rfind("conv", 0) == 0 || family == "dwconv") {
      m = conv_model(c, groups, rng);
      name += "k" + std::to_string(c.k) + "s" + std::to_string(c.stride) + "_" + dims_label(c);
    } else if (family == "maxpool" || family == "avgpool" || family == "gap") {
      m = pool_model(c, family == "maxpool" ? "MaxPool" : family == "avgpool" ? "AveragePool" : "GlobalAveragePool");
      name += "k" + std::to_string(c.k) + "_c" + std::to_string(c.cin) + "_h" + std::to_string(c.hw);
    } else if (family == "add" || family == "concat" || family == "mul") {
      m = binary_model(c, family == "add" ? "Add" : family == "mul" ? "Mul" : "Concat");
      name += "c" + std::to_string(c.cin) + "_h" + std::to_string(c.hw);
    } else if (family == "gemm") {
      c.cin *= 4;
      m = gemm_model(c, rng);
      name += std::to_string(c.cin) + "x" + std::to_string(c.cout);
    } else if (family == "batchnorm") {
      m = batch_norm_model(c, rng);
      name += "c" + std::to_string(c.cin) + "_h" + std::to_string(c.hw);
    }
    if (!m.is_ok()) return m.status().with_context(name + ": ");
    out.push_back({name + "_" + std::to_string(i), std::move(m).value()});
  }
  return out;
}

}  // namespace ew
