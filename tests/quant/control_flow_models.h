// Tiny models with weights inside If/Loop/Scan bodies, for the quantizers,
// calibration and the optimizer:
//   if_conv_model       x[1,2,6,6]; If(mean(x) > 0): each branch Conv->Relu->Conv->
//                       Flatten->MatMul with its own weights (body initializers)
//   if_outer_model      x[1,16]; If(mean(x) > 0): MatMul->Relu->MatMul whose weights
//                       are main-graph initializers (one shared by both branches)
//   loop_model          x[1,16]; Loop 3 times h = h + MatMul(h, W) (W in the body)
//   scan_model          x[4,1,16]; Scan: y_t = MatMul(x_t, W) (W in the body), s += y_t
// Names are unique across each model, as ONNX requires.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ops/control/graph_builder.h"
#include "quant/quant_test_util.h"

namespace ew::test {

inline Node named(Node n, const std::string& name) {
  n.name = name;
  return n;
}

inline Model model_of(const std::shared_ptr<Graph>& g) {
  Model m;
  m.opsets.push_back({"", 13});
  m.graph = *g;
  return m;
}

// Nodes computing cond = mean(x) > 0 into "cond".
inline std::vector<Node> mean_positive(const std::string& x) {
  Node mean = named(make_node("ReduceMean", {x}, {"x_mean"}, {{"keepdims", Attribute::make_int(0)}}), "mean");
  return {mean, named(make_node("Greater", {"x_mean", "zero"}, {"cond"}), "greater")};
}

inline std::shared_ptr<Graph> conv_branch(const std::string& p, uint32_t seed) {
  std::vector<Node> nodes{
      named(make_node("Conv", {"x", p + "w1", p + "b1"}, {p + "c1"}, {{"pads", Attribute::make_ints({1, 1, 1, 1})}}),
            p + "conv1"),
      named(make_node("Relu", {p + "c1"}, {p + "r1"}), p + "relu1"),
      named(make_node("Conv", {p + "r1", p + "w2", p + "b2"}, {p + "c2"}), p + "conv2"),
      named(make_node("Flatten", {p + "c2"}, {p + "f"}), p + "flatten"),
      named(make_node("MatMul", {p + "f", p + "wm"}, {p + "out"}), p + "matmul")};
  std::map<std::string, Tensor> inits{{p + "w1", pseudo_random({4, 2, 3, 3}, seed, -0.5f, 0.5f)},
                                      {p + "b1", pseudo_random({4}, seed + 1, -0.1f, 0.1f)},
                                      {p + "w2", pseudo_random({4, 4, 1, 1}, seed + 2, -0.5f, 0.5f)},
                                      {p + "b2", pseudo_random({4}, seed + 3, -0.1f, 0.1f)},
                                      {p + "wm", pseudo_random({144, 5}, seed + 4, -0.2f, 0.2f)}};
  return make_graph(p + "branch", {}, {untyped(p + "out")}, nodes, inits);
}

inline Model if_conv_model() {
  std::vector<Node> nodes = mean_positive("x");
  nodes.push_back(named(make_node("If", {"cond"}, {"y"},
                                  {{"then_branch", Attribute::make_graph(conv_branch("t_", 10))},
                                   {"else_branch", Attribute::make_graph(conv_branch("e_", 20))}}),
                        "if0"));
  auto g = make_graph("if_conv", {typed("x", DType::kFloat32, {1, 2, 6, 6})}, {typed("y", DType::kFloat32, {1, 5})}, nodes,
                      {{"zero", make_f32({}, {0.0f})}});
  return model_of(g);
}

inline std::shared_ptr<Graph> outer_branch(const std::string& p, const std::string& first) {
  std::vector<Node> nodes{named(make_node("MatMul", {"x", first}, {p + "m1"}), p + "mm1"),
                          named(make_node("Relu", {p + "m1"}, {p + "r"}), p + "relu"),
                          named(make_node("MatMul", {p + "r", "w_shared"}, {p + "out"}), p + "mm2")};
  return make_graph(p + "branch", {}, {untyped(p + "out")}, nodes);
}

inline Model if_outer_model() {
  std::vector<Node> nodes = mean_positive("x");
  nodes.push_back(named(make_node("If", {"cond"}, {"y"},
                                  {{"then_branch", Attribute::make_graph(outer_branch("t_", "w_then"))},
                                   {"else_branch", Attribute::make_graph(outer_branch("e_", "w_else"))}}),
                        "if0"));
  auto g = make_graph("if_outer", {typed("x", DType::kFloat32, {1, 16})}, {typed("y", DType::kFloat32, {1, 8})}, nodes,
                      {{"zero", make_f32({}, {0.0f})},
                       {"w_then", pseudo_random({16, 16}, 31, -0.5f, 0.5f)},
                       {"w_else", pseudo_random({16, 16}, 32, -0.5f, 0.5f)},
                       {"w_shared", pseudo_random({16, 8}, 33, -0.5f, 0.5f)}});
  return model_of(g);
}

inline Model loop_model() {
  std::vector<Node> body_nodes{named(make_node("MatMul", {"h_in", "w_loop"}, {"h_mm"}), "loop_matmul"),
                               named(make_node("Add", {"h_in", "h_mm"}, {"h_out"}), "loop_add"),
                               named(make_node("Identity", {"cond_in"}, {"cond_out"}), "loop_cond")};
  auto body = make_graph("loop_body",
                         {typed("iter", DType::kInt64, {}), typed("cond_in", DType::kBool, {}),
                          typed("h_in", DType::kFloat32, {1, 16})},
                         {typed("cond_out", DType::kBool, {}), typed("h_out", DType::kFloat32, {1, 16})}, body_nodes,
                         {{"w_loop", pseudo_random({16, 16}, 41, -0.25f, 0.25f)}});
  auto g = make_graph("loop", {typed("x", DType::kFloat32, {1, 16})}, {typed("y", DType::kFloat32, {1, 16})},
                      {named(make_node("Loop", {"trips", "keep_going", "x"}, {"y"}, {{"body", Attribute::make_graph(body)}}),
                             "loop0")},
                      {{"trips", make<int64_t>({}, {3})}, {"keep_going", make<bool>({}, {true})}});
  return model_of(g);
}

inline Model scan_model() {
  std::vector<Node> body_nodes{named(make_node("MatMul", {"x_t", "w_scan"}, {"y_t"}), "scan_matmul"),
                               named(make_node("Add", {"s_in", "y_t"}, {"s_out"}), "scan_add")};
  auto body = make_graph("scan_body", {typed("s_in", DType::kFloat32, {1, 8}), typed("x_t", DType::kFloat32, {1, 16})},
                         {typed("s_out", DType::kFloat32, {1, 8}), typed("y_t", DType::kFloat32, {1, 8})}, body_nodes,
                         {{"w_scan", pseudo_random({16, 8}, 51, -0.5f, 0.5f)}});
  auto g = make_graph("scan", {typed("x", DType::kFloat32, {4, 1, 16})},
                      {typed("s", DType::kFloat32, {1, 8}), typed("ys", DType::kFloat32, {4, 1, 8})},
                      {named(make_node("Scan", {"s0", "x"}, {"s", "ys"},
                                       {{"body", Attribute::make_graph(body)},
                                        {"num_scan_inputs", Attribute::make_int(1)}}),
                             "scan0")},
                      {{"s0", make_f32({1, 8}, std::vector<float>(8, 0.0f))}});
  return model_of(g);
}

// `n` samples for the single input "x" of `model`, seeds from `seed`.
inline std::vector<std::map<std::string, Tensor>> samples_for(const Model& model, int n, uint32_t seed) {
  Shape shape;
  for (const Dim& d : model.graph.inputs[0].type.dims) shape.push_back(d.value);
  std::vector<std::map<std::string, Tensor>> out;
  for (int i = 0; i < n; ++i) out.push_back({{"x", pseudo_random(shape, seed + static_cast<uint32_t>(i))}});
  return out;
}

}  // namespace ew::test
