// Convolution geometries shared by the tests of the fast Conv, ConvGradInput
// and ConvGradFilter kernels: strides, asymmetric and SAME padding, dilation,
// groups (depthwise included), 1x1 layers with one and with several images per
// GEMM chunk, 1-D and 3-D windows, batches that leave a short last chunk.
#pragma once

#include <string>
#include <vector>

#include "fast_test_util.h"

namespace ew::test {

struct ConvGeometry {
  std::string label;
  Shape x, w;
  std::map<std::string, Attribute> attributes;
};

inline std::vector<ConvGeometry> conv_geometries() {
  using A = Attribute;
  return {
      {"3x3_pad1", {2, 5, 9, 8}, {7, 5, 3, 3}, {{"pads", A::make_ints({1, 1, 1, 1})}}},
      {"3x3_stride2_asymmetric", {3, 4, 11, 10}, {6, 4, 3, 3},
       {{"strides", A::make_ints({2, 2})}, {"pads", A::make_ints({0, 1, 1, 0})}}},
      {"5x3_dilation2", {1, 3, 13, 12}, {4, 3, 5, 3},
       {{"dilations", A::make_ints({2, 2})}, {"pads", A::make_ints({2, 1, 2, 1})}}},
      {"same_upper_stride2", {2, 6, 7, 9}, {8, 6, 3, 3},
       {{"auto_pad", A::make_string("SAME_UPPER")}, {"strides", A::make_ints({2, 2})}}},
      {"groups2", {2, 4, 6, 6}, {6, 2, 3, 3}, {{"group", A::make_int(2)}, {"pads", A::make_ints({1, 1, 1, 1})}}},
      {"depthwise_stride2", {2, 6, 9, 9}, {6, 1, 3, 3},
       {{"group", A::make_int(6)}, {"strides", A::make_ints({2, 2})}, {"pads", A::make_ints({1, 1, 1, 1})}}},
      {"pointwise_one_image_per_chunk", {2, 8, 16, 20}, {5, 8, 1, 1}, {}},
      {"pointwise_many_images_per_chunk", {9, 6, 5, 7}, {10, 6, 1, 1}, {}},
      {"pointwise_stride2", {3, 4, 8, 8}, {6, 4, 1, 1}, {{"strides", A::make_ints({2, 2})}}},
      {"7x7_maps_batch5", {5, 8, 7, 7}, {12, 8, 3, 3}, {{"pads", A::make_ints({1, 1, 1, 1})}}},
      {"conv1d", {3, 4, 17}, {5, 4, 3}, {{"strides", A::make_ints({2})}, {"pads", A::make_ints({1, 0})}}},
      {"conv3d", {2, 3, 4, 5, 6}, {4, 3, 2, 3, 3}, {{"pads", A::make_ints({0, 1, 1, 1, 1, 0})}}},
  };
}

// Depthwise layers (group == channels == maps): what the direct kernels take.
inline std::vector<ConvGeometry> depthwise_geometries() {
  using A = Attribute;
  auto dw = [](int64_t c, std::map<std::string, Attribute> a) {
    a["group"] = Attribute::make_int(c);
    return a;
  };
  return {
      {"3x3_pad1", {2, 5, 9, 8}, {5, 1, 3, 3}, dw(5, {{"pads", A::make_ints({1, 1, 1, 1})}})},
      {"3x3_stride2", {3, 4, 11, 10}, {4, 1, 3, 3},
       dw(4, {{"strides", A::make_ints({2, 2})}, {"pads", A::make_ints({1, 1, 1, 1})}})},
      {"3x3_stride2_asymmetric", {1, 3, 8, 9}, {3, 1, 3, 3},
       dw(3, {{"strides", A::make_ints({2, 1})}, {"pads", A::make_ints({0, 1, 1, 0})}})},
      {"5x3_dilation2", {2, 2, 13, 12}, {2, 1, 5, 3},
       dw(2, {{"dilations", A::make_ints({2, 2})}, {"pads", A::make_ints({2, 1, 2, 1})}})},
      {"same_upper", {2, 6, 7, 9}, {6, 1, 3, 3},
       dw(6, {{"auto_pad", A::make_string("SAME_UPPER")}, {"strides", A::make_ints({2, 2})}})},
      {"end_pads_unread", {1, 2, 6, 6}, {2, 1, 3, 3},
       dw(2, {{"strides", A::make_ints({2, 2})}, {"pads", A::make_ints({0, 0, 3, 3})}})},
      {"no_padding_1x5", {2, 3, 4, 9}, {3, 1, 1, 5}, dw(3, {})},
      {"conv1d", {2, 4, 17}, {4, 1, 3}, dw(4, {{"pads", A::make_ints({1, 1})}})},
      {"mobilenet_28x28", {4, 16, 28, 28}, {16, 1, 3, 3}, dw(16, {{"pads", A::make_ints({1, 1, 1, 1})}})},
  };
}

// The forward Conv's output shape for a geometry (from the reference op's infer).
inline Shape conv_output_shape(const ConvGeometry& g) {
  NodeCase c;
  c.op_type = "Conv";
  c.opset = 11;
  c.inputs = {random_f32(g.x, 1), random_f32(g.w, 2)};
  c.attributes = g.attributes;
  auto types = infer_outputs(c, c.node());
  if (!types.is_ok() || !types.value()[0].fully_known()) return {};
  return types.value()[0].concrete_shape();
}

// A Conv node (opset 11) of geometry `g` on seeded random X, W and, with `bias`, B.
inline NodeCase conv_case(const ConvGeometry& g, bool bias, uint32_t seed) {
  NodeCase c;
  c.op_type = "Conv";
  c.opset = 11;
  c.attributes = g.attributes;
  c.inputs = {random_f32(g.x, seed), random_f32(g.w, seed + 1), bias ? random_f32({g.w[0]}, seed + 2) : Tensor()};
  return c;
}

}  // namespace ew::test
