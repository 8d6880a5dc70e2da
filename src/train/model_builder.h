// The model builder of the training engine: networks described by a small
// spec (in C++ or JSON) become valid ONNX-IR models, so users and the
// architecture search never write ONNX by hand.
//
// Every model has opset 17, one input "input" float32[N, C, H, W] (N
// symbolic) and one output "logits" float32[N, classes]. Convolutions are
// Conv without bias followed by BatchNormalization in inference form (scale 1,
// bias 0, mean 0, var 1, epsilon 1e-5, momentum 0.9), as exporters emit them;
// the trainer switches BN (and Dropout) to training mode. The one exception is
// squeeze-excite, whose two 1x1 convolutions have a bias and no BN (as in
// MobileNetV3).
//
// Families
//   mlp          Flatten; per hidden width Gemm(transB=1) + activation
//                (+ Dropout with the ratio as a constant input); final Gemm.
//   mobilenetv2  stem conv3x3/s + BN + act; inverted residual blocks
//                (1x1 expand conv+BN+act when t != 1; depthwise kxk conv+BN+act;
//                optional squeeze-excite; 1x1 project conv+BN; Add when stride
//                1 and channels equal); head 1x1 conv+BN+act,
//                GlobalAveragePool, Flatten, Gemm.
//   resnet       stem conv kxk/s + BN + ReLU (+ MaxPool 3x3/2); basic blocks
//                (conv3x3/s+BN+ReLU, conv3x3+BN, shortcut = identity or 1x1/s
//                conv+BN when the shape changes, Add, ReLU);
//                GlobalAveragePool, Flatten, Gemm.
//
// Initialisation (per parameter, seeded). With "init": "he" (the default) a
// conv/Gemm whose output goes (through BN, and for ResNet's second conv and
// shortcut through the residual Add) into a ReLU-family activation (relu,
// relu6, gelu, hardswish) gets He/Kaiming normal, std sqrt(2 / fan_in); every
// other one (projections, classifier, before tanh/sigmoid/HardSigmoid) gets
// Xavier/Glorot uniform, bound sqrt(6 / (fan_in + fan_out)), fan_out =
// out_channels * kh * kw as PyTorch counts it. "init": "xavier" uses Xavier
// everywhere. Biases are 0. Each parameter draws from its own
// std::mt19937_64 seeded from (seed, parameter name), with the normal and
// uniform variates computed here rather than by <random>'s distributions, so
// the same seed gives bit-identical weights on every platform, and adding a
// layer does not change the weights of the others.
//
// Names say where a thing is, so the trainer can freeze by pattern ('stem.*'):
//   mlp          hidden1.weight hidden1.bias hidden1.act hidden1.dropout ...
//                classifier.weight classifier.bias
//   mobilenetv2  stem.conv.weight stem.bn.{scale,bias,mean,var} stem.act
//                stage2.block1.{expand,dw,project}.conv.weight
//                stage2.block1.{expand,dw,project}.bn.scale ...
//                stage2.block1.se.{reduce,expand}.{weight,bias}
//                stage2.block1.add  head.conv.weight  classifier.weight
//   resnet       stem.conv.weight stem.bn.* stem.maxpool
//                stage2.block1.conv1.weight stage2.block1.bn1.scale ...
//                stage2.block1.shortcut.conv.weight stage2.block1.shortcut.bn.*
//   Stages and blocks count from 1. Nodes carry the same prefix (node
//   "stage2.block1.conv1", output value "stage2.block1.conv1_out").
//   Trainable parameters end in .weight, .bias (conv/Gemm) or .scale, .bias
//   (BN); BN running statistics end in .mean and .var; other constants (clip
//   bounds, the GELU and dropout constants) start with "const.".
//
// JSON spec format (parse_model_spec). Unknown keys are errors; so are
// wrong types, non-positive sizes and out-of-range values. Every key but
// "family", "input" and "classes" is optional (defaults in brackets).
//   {
//     "family":  "mlp" | "mobilenetv2" | "resnet",
//     "input":   [C, H, W]                        positive integers
//     "classes": integer > 0
//     "seed":    unsigned integer                 [0]
//     "init":    "he" | "xavier"                  ["he"]
//     mlp:
//     "hidden":     [width, ...]                  [[]] (a linear classifier)
//     "activation": "relu" | "relu6" | "gelu" | "tanh" | "sigmoid" | "hardswish"  ["relu"]
//     "dropout":    number in [0, 1)              [0] (0: no Dropout nodes)
//     mobilenetv2:
//     "width":      width multiplier in (0, 8]    [1.0]
//     "divisor":    channels round to multiples of it, as MobileNetV2's
//                   _make_divisible(c * width, divisor)       [8]
//     "stem":       {"channels": [32], "stride": [2]}
//     "stages":     [{"t": expansion [1], "c": channels (required),
//                     "n": repeats [1], "s": stride of the first block [1],
//                     "k": depthwise kernel 3|5|7 [3], "se": bool [false]}, ...]
//                   [MobileNetV2's seven stages]
//     "head":       channels of the last 1x1 conv, scaled by max(1, width) [1280]
//     "activation": as for mlp                    ["relu6"]
//     resnet:
//     "stem":       {"channels": [64], "kernel": 3|5|7 [7], "stride": [2], "maxpool": [true]}
//     "stages":     [{"c": channels (required), "n": blocks [1], "s": stride [1]}, ...]
//                   [ResNet-18's four stages]
//   Strides are 1..4. A stride s applied to a feature map smaller than s
//   (the spatial size would reach zero) is an error naming the stage.
//   Examples:
//   {"family":"mlp","input":[1,28,28],"classes":10,"hidden":[256,128],"activation":"relu","dropout":0.1,"seed":1}
//   {"family":"mobilenetv2","input":[1,28,28],"classes":10,"width":1.0,"stem":{"channels":16,"stride":1},
//    "stages":[{"t":1,"c":16,"n":1,"s":1},{"t":6,"c":24,"n":2,"s":2,"k":3,"se":false}],"head":128}
//   {"family":"resnet","input":[1,28,28],"classes":10,"stem":{"channels":32,"kernel":3,"stride":1,"maxpool":false},
//    "stages":[{"c":32,"n":2,"s":1},{"c":64,"n":2,"s":2}]}
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew::train {

struct MlpSpec {
  std::vector<int64_t> hidden;        // hidden widths, input side first; empty: one Gemm
  std::string activation = "relu";
  double dropout = 0.0;               // ratio in [0, 1); 0 adds no Dropout nodes

  bool operator==(const MlpSpec&) const = default;
};

struct MobileNetV2Stage {
  int64_t t = 1;       // expansion factor
  int64_t c = 16;      // output channels before the width multiplier
  int64_t n = 1;       // repeats
  int64_t s = 1;       // stride of the first repeat
  int64_t k = 3;       // depthwise kernel: 3, 5 or 7
  bool se = false;     // squeeze-excite after the depthwise conv

  bool operator==(const MobileNetV2Stage&) const = default;
};

struct MobileNetV2Spec {
  double width = 1.0;             // width multiplier
  int64_t divisor = 8;            // channel rounding (1: none)
  int64_t stem_channels = 32;
  int64_t stem_stride = 2;
  std::vector<MobileNetV2Stage> stages = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                                          {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  int64_t head = 1280;
  std::string activation = "relu6";

  bool operator==(const MobileNetV2Spec&) const = default;
};

struct ResNetStage {
  int64_t c = 64;  // channels
  int64_t n = 1;   // basic blocks
  int64_t s = 1;   // stride of the first block

  bool operator==(const ResNetStage&) const = default;
};

struct ResNetSpec {
  int64_t stem_channels = 64;
  int64_t stem_kernel = 7;
  int64_t stem_stride = 2;
  bool stem_maxpool = true;
  std::vector<ResNetStage> stages = {{64, 2, 1}, {128, 2, 2}, {256, 2, 2}, {512, 2, 2}};

  bool operator==(const ResNetSpec&) const = default;
};

struct ModelSpec {
  std::string family = "mlp";    // "mlp" | "mobilenetv2" | "resnet"
  int64_t channels = 1;          // input [C, H, W]
  int64_t height = 28;
  int64_t width = 28;
  int64_t classes = 10;
  uint64_t seed = 0;
  std::string init = "he";       // "he" | "xavier"
  MlpSpec mlp;                   // read when family == "mlp"
  MobileNetV2Spec mobilenetv2;   // read when family == "mobilenetv2"
  ResNetSpec resnet;             // read when family == "resnet"

  bool operator==(const ModelSpec&) const = default;
};

// Ok, or an invalid-argument Status naming the field as the JSON spells it
// ("stages[1].k: ..."). build_model and parse_model_spec both call it.
Status validate_model_spec(const ModelSpec& spec);

// Builds the model (validating the spec first). The spec, as
// model_spec_to_json writes it, is kept in the model's metadata under
// "edgewise.model_spec".
Result<Model> build_model(const ModelSpec& spec);

// Trainable parameters (conv/Gemm weights and biases, BN scale and bias) of
// the model build_model would make, in closed form, without building it.
Result<int64_t> count_parameters(const ModelSpec& spec);

// MobileNetV2's _make_divisible: v rounded to the nearest multiple of
// `divisor` (at least `divisor`), rounding up when rounding down would lose
// more than 10%.
int64_t make_divisible(double v, int64_t divisor);

// Parses and validates a JSON spec; `what` (a file name) prefixes messages.
Result<ModelSpec> parse_model_spec(const std::string& json_text, const std::string& what);
Result<ModelSpec> read_model_spec(const std::string& path);
// Every field, defaults included; parse_model_spec gives the spec back.
std::string model_spec_to_json(const ModelSpec& spec);
// True for paths ending in ".json" (model specs, as opposed to .onnx files).
bool looks_like_model_spec(const std::string& path);
// A model spec (.json) built by build_model, or an ONNX file.
Result<Model> load_model_or_spec(const std::string& path);

}  // namespace ew::train
